"""The review kind "plugin" (PLG-8), registered from `setup.ready()`: a plugin version's
submission on the ops desk's queue, with the plugin, the version, the service category,
the tags, the preview images and the description. The callbacks run inside the review
machine's transaction after the review moved and mirror its state onto the
`PluginSubmission`: approve (`plugin.audit_success`; releasing is the owner's own step),
reject with reasons (`plugin.audit_fail`), delay with reasons (`plugin.audit_delay`),
withdraw (by the owner). A reviewer who belongs to the owner mini program may not review.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.catalog import name_in
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import media
from miniport.plugins.models import PluginSubmission, PluginSubmissionState
from miniport.review import registry
from miniport.review.models import Review
from miniport.review.selectors import target_row

from .selectors import PLUGIN_KIND


def _submission(review: Review, *, lock: bool = False) -> PluginSubmission | None:
    rows = PluginSubmission.objects.select_related("plugin", "plugin__owner", "version__package")
    return target_row(review, rows, lock=lock)


def _locked(review: Review) -> PluginSubmission:
    submission = _submission(review, lock=True)
    if submission is None:
        raise PlatformError(CoreError.NOT_FOUND)
    return submission


def is_member(review: Review, actor: Actor) -> bool:
    """A reviewer never reviews a plugin of a mini program he belongs to."""
    submission = _submission(review)
    mp = (
        submission.plugin.owner
        if submission is not None
        else MiniProgram.objects.filter(appid=review.appid).first()
    )
    return mp is not None and mp_selectors.actor_is_member(mp, actor)


def _image_key(position: int) -> str:
    return f"preview{position + 1}"


def describe(review: Review) -> registry.Description:
    submission = _submission(review)
    if submission is None:
        return registry.Description(title=_("Plugin version"), appid=review.appid)
    plugin, version = submission.plugin, submission.version
    manifest = version.package.manifest or {}
    project = manifest.get("plugin") or {}
    components = ", ".join(name for name, _path in project.get("public_components") or []) or "—"
    return registry.Description(
        title=_("Plugin %(name)s version %(version)s")
        % {"name": plugin.name, "version": version.user_version},
        appid=review.appid,
        summary=f"{plugin.appid} · {name_in(submission.category_first_name)}/"
        f"{name_in(submission.category_second_name)}",
        facts=(
            (_("Plugin"), f"{plugin.name} ({plugin.appid})"),
            (_("Mini program"), plugin.owner.name or plugin.owner.appid),
            (_("Version"), version.user_version),
            (_("Version note"), version.user_desc or "—"),
            (_("Developer"), version.developer_label),
            (_("Package"), f"{version.package.sha256[:12]} · {version.package.size} B"),
            (_("Public components"), components),
            (
                _("Service category"),
                f"{submission.category_first_name}/{submission.category_second_name}",
            ),
            (_("Tags"), ", ".join(submission.tags or []) or "—"),
            (_("Description"), submission.description or "—"),
        ),
        documents=tuple(
            (_image_key(n), _("Preview image %(n)s") % {"n": n + 1})
            for n, _name in enumerate(submission.preview_images or [])
        ),
    )


def document(review: Review, key: str) -> tuple[bytes, str] | None:
    submission = _submission(review)
    if submission is None:
        return None
    for n, name in enumerate(submission.preview_images or []):
        if _image_key(n) == key:
            return media.kept_read(name)
    return None


def _decided(
    review: Review, actor: Actor, state: str, event: str, action: str, reasons: list[str]
) -> None:
    submission = _locked(review)
    before = submission.state
    submission.state = state
    submission.reasons = list(reasons)
    if state != PluginSubmissionState.DELAYED:
        submission.decided_at = clock.now()
    submission.save(update_fields=["state", "reasons", "decided_at"])
    payload = {
        "plugin_appid": submission.plugin.appid,
        "submission": submission.pk,
        "user_version": submission.version.user_version,
        "state": state,
    }
    if reasons:
        payload.update(reason="\n".join(reasons), reasons=list(reasons))
    audit.record(
        actor,
        action,
        target=submission,
        appid=submission.plugin.owner.appid,
        before={"state": before},
        after=payload,
    )
    if event:
        events.emit(event, payload, appid=submission.plugin.owner.appid)


def approve(review: Review, actor: Actor) -> None:
    _decided(
        review, actor, PluginSubmissionState.APPROVED, "plugin.audit_success", "plugin.approve", []
    )


def reject(review: Review, actor: Actor, reasons: list[str]) -> None:
    _decided(
        review, actor, PluginSubmissionState.REJECTED, "plugin.audit_fail", "plugin.reject", reasons
    )


def delay(review: Review, actor: Actor, reasons: list[str]) -> None:
    _decided(
        review, actor, PluginSubmissionState.DELAYED, "plugin.audit_delay", "plugin.delay", reasons
    )


def withdraw(review: Review, actor: Actor) -> None:
    submission = _locked(review)
    submission.state = PluginSubmissionState.WITHDRAWN
    submission.decided_at = clock.now()
    submission.save(update_fields=["state", "decided_at"])


KIND = registry.Kind(
    key=PLUGIN_KIND,
    label=gettext_lazy("Plugin version"),
    describe=describe,
    approve=approve,
    reject=reject,
    is_member=is_member,
    withdraw=withdraw,
    delay=delay,
    document=document,
)


def register_kind() -> None:
    registry.register(KIND)
