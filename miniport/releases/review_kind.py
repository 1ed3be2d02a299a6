"""The review kind "code" (VER-3..VER-5), registered with the review machine from
`ReleasesConfig.ready()`. The target is a `Submission`; the review's state is mirrored
onto it by these callbacks, which run inside the review machine's transaction after the
review moved (a callback that raises rolls the decision back).

- approve: the submission becomes approved and `code.audit_success` is emitted. Approval
  never releases by itself (VER-6): `services.release_publish` does.
- reject: rejected with the reviewer's reasons (catalog keys and free text, VER-5);
  `code.audit_fail`. The catalog key `test_account_needed` opens the test-account entry
  of the next submission (VER-4).
- delay: still open, with the reasons; `code.audit_delay` (WeChat's status 4).
- withdraw: the developer took it back (`services.submission_withdraw` emits).
- is_member: a reviewer who is the administrator or a member of the mini program may
  neither claim nor decide it.
"""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import media
from miniport.releases import catalog
from miniport.releases.models import Submission, SubmissionState
from miniport.releases.services.submission import CODE_KIND, SPED_UP_AT
from miniport.review import registry
from miniport.review.models import Review
from miniport.review.selectors import target_row


def _submission(review: Review, *, lock: bool = False) -> Submission | None:
    rows = Submission.objects.select_related("miniprogram", "dev_version__package")
    return target_row(review, rows, lock=lock)


def _locked(review: Review) -> Submission:
    submission = _submission(review, lock=True)
    if submission is None:
        raise PlatformError(CoreError.NOT_FOUND)
    return submission


def is_member(review: Review, actor: Actor) -> bool:
    """A reviewer never reviews a mini program he belongs to."""
    submission = _submission(review)
    mp = (
        submission.miniprogram
        if submission is not None
        else MiniProgram.objects.filter(appid=review.appid).first()
    )
    return mp is not None and mp_selectors.actor_is_member(mp, actor)


def describe(review: Review) -> registry.Description:
    submission = _submission(review)
    if submission is None:
        return registry.Description(title=_("Code version"), appid=review.appid)
    version = submission.dev_version
    manifest = version.package.manifest or {}
    pages = len(manifest.get("pages") or []) + sum(
        len(sub.get("pages") or []) for sub in manifest.get("subpackages") or []
    )
    account = submission.test_account or {}
    facts = [
        (_("Mini program"), submission.miniprogram.name or submission.miniprogram.appid),
        (_("Version"), version.user_version),
        (_("Version note"), version.user_desc or "—"),
        (_("Developer"), version.developer_label),
        (_("Package"), f"{version.package.sha256[:12]} · {filesizeformat(version.package.size)}"),
        (_("Description"), submission.description or "—"),
        (_("Feedback"), submission.feedback or "—"),
    ]
    if account:
        facts.append((_("Test account"), f"{account.get('account')} / {account.get('password')}"))
    sped_up = (review.material or {}).get(SPED_UP_AT)
    if sped_up:
        facts.append((_("Speed-up"), _("asked for at %(when)s") % {"when": sped_up[:16]}))
    return registry.Description(
        title=_("Code version %(version)s") % {"version": version.user_version},
        appid=review.appid,
        summary=_("%(pages)s pages, %(groups)s item groups")
        % {"pages": pages, "groups": len(submission.items or [])},
        facts=tuple(facts),
        documents=tuple(
            (f"{VIDEO_KEY}{n}", _("Preview video %(n)s") % {"n": n + 1})
            if media.kept_is_video(str(name))
            else (f"{SCREENSHOT_KEY}{n}", _("Preview screenshot %(n)s") % {"n": n + 1})
            for n, name in enumerate(submission.screenshots or [])
        ),
    )


# The documents of a code review: the developer's preview screenshots and videos
# (wechat-api 4.13: review material may be mp4 videos), by their place.
SCREENSHOT_KEY = "screenshot-"
VIDEO_KEY = "video-"


def document(review: Review, key: str) -> tuple[bytes, str] | None:
    """One of the submission's preview screenshots or videos (kept copies, typed by
    their checked content), for the reviewer's eyes."""
    submission = _submission(review)
    if submission is None:
        return None
    if key.startswith(SCREENSHOT_KEY):
        place, video = key.removeprefix(SCREENSHOT_KEY), False
    elif key.startswith(VIDEO_KEY):
        place, video = key.removeprefix(VIDEO_KEY), True
    else:
        return None
    names = list(submission.screenshots or [])
    if not (place.isascii() and place.isdigit()) or int(place) >= len(names):
        return None
    name = str(names[int(place)])
    if media.kept_is_video(name) != video:
        return None
    return media.kept_read(name, allow_video=video)


def _payload(submission: Submission, **more) -> dict:
    return {
        "appid": submission.miniprogram.appid,
        "auditid": submission.auditid,
        "submission": submission.pk,
        "version": submission.dev_version_id,
        "user_version": submission.dev_version.user_version,
        **more,
    }


def _move(submission: Submission, state: str, reasons: list[str]) -> str:
    before = submission.state
    submission.state = state
    submission.reasons = list(reasons)
    submission.reason_keys = catalog.reason_keys(reasons)
    submission.test_account_requested = (
        state == SubmissionState.REJECTED and catalog.TEST_ACCOUNT_NEEDED in submission.reason_keys
    )
    if state != SubmissionState.DELAYED:
        submission.decided_at = clock.now()
    submission.save(
        update_fields=["state", "reasons", "reason_keys", "test_account_requested", "decided_at"]
    )
    return before


def reason_display(reasons: list[str], lang: str | None = None) -> str:
    """The reasons as one text, catalog keys as their titles."""
    return "\n".join(catalog.reason_text(item, lang) for item in reasons)


def _decided(
    review: Review, actor: Actor, state: str, event: str, action: str, reasons: list[str]
) -> None:
    submission = _locked(review)
    before = _move(submission, state, reasons)
    at = clock.now()
    more = {"state": state, "at": at}
    if reasons:
        more.update(
            reason=reason_display(reasons),
            reasons=list(reasons),
            reason_keys=submission.reason_keys,
            screenshots=list((review.material or {}).get("decision_screenshots") or []),
        )
    payload = _payload(submission, **more)
    audit.record(
        actor,
        action,
        target=submission,
        appid=submission.miniprogram.appid,
        before={"state": before},
        after=payload,
    )
    events.emit(event, payload, appid=submission.miniprogram.appid)


def approve(review: Review, actor: Actor) -> None:
    _decided(review, actor, SubmissionState.APPROVED, "code.audit_success", "code.approve", [])


def reject(review: Review, actor: Actor, reasons: list[str]) -> None:
    _decided(review, actor, SubmissionState.REJECTED, "code.audit_fail", "code.reject", reasons)


def delay(review: Review, actor: Actor, reasons: list[str]) -> None:
    _decided(review, actor, SubmissionState.DELAYED, "code.audit_delay", "code.delay", reasons)


def withdraw(review: Review, actor: Actor) -> None:
    _move(_locked(review), SubmissionState.WITHDRAWN, [])


KIND = registry.Kind(
    key=CODE_KIND,
    label=gettext_lazy("Code version"),
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
