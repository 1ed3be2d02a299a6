"""Version management › submit for review and the review card (VER-3..VER-5, B-4).

- `versions_submit` (`?version=<development version>`): the submission form. A first
  POST checks: the screenshots are checked and re-encoded as temporary media, the item
  groups are read the service's way, and the pre-checks and the diff against the online
  version are shown (errors block, warnings are shown). Only a POST of the form as it was
  checked (`checked`, a signature of what was checked) and with `confirm` submits,
  through `version_submit_for_review`; a refusal lands on the field it names.
- `versions_withdraw`: takes the open submission back (`submission_withdraw`, within
  the undo limits).
- `versions_screenshot`: a preview screenshot of a submission (the developer's, or the
  reviewer's when the review carries them), read from permanent storage.
- `review_context(request)`: what the review card `console/versions/_review.html`
  shows; the version management page includes it with this context as `review`.

The permission table decides: `versions.view` sees the card, `versions.submit` submits
and withdraws.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.submission import SubmitForm
from miniport.console.views.common import page
from miniport.core import policy, quotas
from miniport.core.errors import ErrorCode, PlatformError
from miniport.miniprograms.models import CategoryStatus, MiniProgramCategory
from miniport.miniprograms.services import media
from miniport.releases import catalog, selectors, services
from miniport.releases.diff import diff_manifests
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Submission, SubmissionState
from miniport.releases.packages.manifest import PackageManifest
from miniport.releases.prechecks import has_errors, run_prechecks
from miniport.releases.services import submission as submit_rules
from miniport.web.sentences import sentence

CHECKED_SALT = "console.versions.submit.checked"
# Which item-group field an item refusal is about (the message names the group).
ITEM_FIELDS: dict[ErrorCode, str] = {
    ReleaseError.ITEM_PAGE_INVALID: "address",
    ReleaseError.ITEM_CATEGORY_INVALID: "category",
    ReleaseError.TAG_INVALID: "tag",
    ReleaseError.TITLE_INVALID: "title",
    ReleaseError.ITEM_EMPTY: "address",
}


def versions_url() -> str:
    """The version management page (its view is `console/views/versions.py`)."""
    try:
        return reverse("console:versions")
    except NoReverseMatch:  # the page not mounted: the console's home
        return reverse("console:home")


def _attach(form: SubmitForm, error: PlatformError) -> None:
    """A refusal on the field it names; an item refusal on its group's field."""
    item = error.params.get("item")
    name = ITEM_FIELDS.get(error.code)
    if name and isinstance(item, int) and f"item{item}_{name}" in form.fields:
        form.add_error(f"item{item}_{name}", error.message())
        return
    attach_error(form, error)


def _approved(mp) -> list[MiniProgramCategory]:
    return list(
        MiniProgramCategory.objects.filter(miniprogram=mp, status=CategoryStatus.APPROVED).order_by(
            "first_id", "second_id"
        )
    )


def _checked_content(form: SubmitForm) -> str:
    """What the pre-checks were shown for: the items, the privacy declaration, the
    screenshots, the texts and the test account."""
    data = form.cleaned_data
    content = {
        "version": data["version"],
        "items": form.items(),
        "privacy": bool(data.get("privacy_declared")),
        "media": form.media_ids(),
        "description": data.get("description", ""),
        "feedback": data.get("feedback", ""),
        "account": form.account(),
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False)


def _checked_signature(form: SubmitForm) -> str:
    return signing.dumps(_checked_content(form), salt=CHECKED_SALT)


def _signature_matches(form: SubmitForm, signature: str) -> bool:
    """Whether the form is confirmed as it was checked; another content checks again."""
    try:
        signed = signing.loads(signature, salt=CHECKED_SALT, max_age=3600)
    except signing.BadSignature:
        return False
    return signed == _checked_content(form)


def _store_screenshots(request, form: SubmitForm) -> bool:
    """New files replace the screenshots checked before; each is checked by content and
    re-encoded (no EXIF, no metadata). False, with the message on the field, when one is
    refused (nothing of this upload is kept)."""
    uploads = form.cleaned_data.get("screenshots") or []
    if not uploads:
        return True
    limit = policy.value("submit.max_screenshots")
    if len(uploads) > limit:
        attach_error(
            form,
            PlatformError(ReleaseError.SCREENSHOTS_TOO_MANY, field="screenshots", limit=limit),
        )
        return False
    stored: list[str] = []
    try:
        for upload in uploads:
            kept = media.media_upload(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                upload=upload,
                media_type=media.IMAGE,
                field="screenshots",
            )
            stored.append(kept.media_id)
    except PlatformError as error:
        for media_id in stored:
            media.media_discard(request.miniprogram, media_id)
        attach_error(form, error)
        return False
    for media_id in form.media_ids():  # the screenshots these replace
        media.media_discard(request.miniprogram, media_id)
    form.cleaned_data["shots"] = ",".join(stored)
    return True


def _preview(mp, version, form: SubmitForm) -> dict[str, Any] | None:
    """B-4: the pre-checks and the diff against the online version for what the form
    holds; None, with the refusal on its field, when the item groups are refused."""
    approved = submit_rules.approved_categories(mp)
    package = PackageManifest.coerce(version.package.manifest)
    try:
        groups = submit_rules.clean_items(form.items(), pages=package.all_pages, approved=approved)
    except PlatformError as error:
        _attach(form, error)
        return None
    findings = run_prechecks(
        manifest=package,
        items=groups,
        server_domains=submit_rules.server_domains(mp),
        approved_categories=approved,
        privacy_declared=bool(form.cleaned_data.get("privacy_declared")),
    )
    lang = translation.get_language()
    # What the submission itself would refuse (no name yet, a review still open, a
    # declared plugin not usable), said here rather than only after "submit".
    blockers = [
        {"code": refused.code.name.lower(), "level": "error", "message": refused.message(lang)}
        for refused in submit_rules.submission_blockers(mp, package)
    ]
    return {
        "findings": blockers
        + [{"code": f.code, "level": f.level, "message": f.message(lang)} for f in findings],
        "blocked": bool(blockers) or has_errors(findings),
        "diff": diff_manifests(submit_rules.online_manifest(mp), package),
    }


def _form(request, version, data=None, files=None) -> SubmitForm:
    mp = request.miniprogram
    pages = PackageManifest.coerce(version.package.manifest).all_pages
    return SubmitForm(
        data,
        files,
        pages=pages,
        categories=_approved(mp),
        test_account=services.needs_test_account(mp),
        initial={"version": version.pk},
    )


def _version_or_404(request, value):
    version = selectors.dev_version_of(request.miniprogram, value)
    if version is None:
        raise Http404
    return version


def _submit(request, form: SubmitForm, version) -> Submission | None:
    mp = request.miniprogram
    media_ids = form.media_ids()
    try:
        with media.Keeper(mp) as keeper:
            names = [
                keeper.keep(media.media_get(mp, media_id, field="screenshots"), field="screenshots")
                for media_id in media_ids
            ]
            submission = services.version_submit_for_review(
                actor=actor_of(request),
                miniprogram=mp,
                dev_version=version,
                items=form.items(),
                description=form.cleaned_data.get("description", ""),
                feedback=form.cleaned_data.get("feedback", ""),
                screenshots=names,
                test_account=form.account(),
                privacy_declared=bool(form.cleaned_data.get("privacy_declared")),
            )
    except PlatformError as error:
        _attach(form, error)
        return None
    for media_id in media_ids:
        media.media_discard(mp, media_id)
    return submission


@console_view(action="versions.submit", visible_with="versions.view")
@require_http_methods(["GET", "POST"])
def versions_submit(request):
    """VER-3, VER-4, B-4: the submission form, its pre-checks and diff, the confirmation."""
    mp = request.miniprogram
    source = request.POST if request.method == "POST" else request.GET
    version = _version_or_404(request, source.get("version"))
    preview = None
    checked = ""
    open_submission = selectors.open_submission(mp)
    if request.method == "POST":
        form = _form(request, version, request.POST, request.FILES)
        if form.is_valid() and _store_screenshots(request, form):
            confirming = "confirm" in request.POST and not form.cleaned_data.get("screenshots")
            if confirming and _signature_matches(form, request.POST.get("checked", "")):
                submission = _submit(request, form, version)
                if submission is not None:
                    messages.success(
                        request,
                        _("Version %(version)s was submitted for review.")
                        % {"version": version.user_version},
                    )
                    return redirect(versions_url())
            else:
                preview = _preview(mp, version, form)
                if preview is not None:
                    checked = _checked_signature(form)
            # The form shown again carries the screenshots accepted so far.
            shown = request.POST.copy()
            shown["shots"] = form.cleaned_data.get("shots", "")
            form.data = shown
    else:
        form = _form(request, version)
    return page(
        request,
        "console/versions/submit.html",
        form=form,
        version=version,
        preview=preview,
        checked=checked,
        screenshots=len(form.media_ids()) if form.is_bound and hasattr(form, "cleaned_data") else 0,
        open_submission=open_submission,
        no_categories=not form.categories,
        back_url=versions_url(),
    )


@console_view(action="versions.submit", visible_with="versions.view")
@require_http_methods(["GET", "POST"])
def versions_withdraw(request):
    """VER-5: take the open submission back from the desk (undo, within the limits). The
    card's button leads to a confirmation page (GET) naming the version and what the
    withdrawal spends; its button withdraws (POST)."""
    mp = request.miniprogram
    if request.method == "GET":
        submission, refusal = None, ""
        try:
            # The withdrawal checks the same under its lock: the page refuses what it would.
            submission = services.withdrawal_target(mp)
        except PlatformError as error:
            refusal = error.message()
        return page(
            request,
            "console/versions/withdraw_confirm.html",
            submission=submission,
            undo_left=_undo_left(mp) if submission is not None else 0,
            refusal=refusal,
            status=409 if refusal else 200,
            back_url=versions_url(),
        )
    submission = selectors.open_submission(mp)
    try:
        if submission is None:
            raise PlatformError(ReleaseError.UNDO_NOTHING_OPEN)
        services.submission_withdraw(actor=actor_of(request), submission=submission)
    except PlatformError as error:
        messages.error(request, sentence(error.message()))
    else:
        messages.success(request, _("The submission was withdrawn."))
    return redirect(versions_url())


@console_view(action="versions.view")
@require_GET
def versions_screenshot(request):
    """A preview screenshot of one of this mini program's submissions (`submission`,
    `n`: its place; `reviewer=1`: the reviewer's)."""
    try:
        pk, number = int(request.GET.get("submission", "")), int(request.GET.get("n", ""))
    except ValueError:
        raise Http404 from None
    submission = Submission.objects.filter(miniprogram=request.miniprogram, pk=pk).first()
    if submission is None:
        raise Http404
    names = (
        _reviewer_screenshots(submission) if request.GET.get("reviewer") else submission.screenshots
    )
    if not 0 <= number < len(names or []):
        raise Http404
    found = media.kept_read(names[number])
    if found is None:
        raise Http404
    data, fmt = found
    response = HttpResponse(data, content_type=f"image/{fmt.lower()}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- the review card (VER-5) ----------------------------------------------------------------


def _reviewer_screenshots(submission: Submission) -> list[str]:
    review = submission.review
    material = (review.material if review is not None else None) or {}
    shots = material.get("reviewer_screenshots") or []
    return [str(s) for s in shots] if isinstance(shots, list) else []


def _reasons(submission: Submission) -> list[dict[str, str]]:
    """The reviewer's reasons: a catalog key with its title and guidance in the reader's
    language, free text as written."""
    lang = translation.get_language()
    rows = []
    for stored in submission.reasons or []:
        if catalog.is_reason_key(stored):
            reason = catalog.reason(stored)
            rows.append(
                {"key": reason.key, "title": reason.title(lang), "guidance": reason.guidance(lang)}
            )
        else:
            rows.append({"key": "", "title": str(stored), "guidance": ""})
    return rows


def _undo_left(mp) -> int:
    scope = submit_rules.submit_scope(mp)
    return min(
        quotas.remaining(scope, "submit.undo_per_day", "day"),
        quotas.remaining(scope, "submit.undo_per_month", "month"),
    )


def review_context(request) -> dict[str, Any]:
    """What the review card shows: the latest submission unless its version is online
    already ("no version in review or it is released", seed 004)."""
    mp = request.miniprogram
    access = request.console
    latest = selectors.latest_audit_status(mp)
    approved_waiting = False
    refusal = None
    if latest is not None and latest.state == SubmissionState.APPROVED:
        candidate, refusal = selectors.releasable(mp)
        approved_waiting = candidate is not None
        if refusal == ReleaseError.ALREADY_RELEASED:
            latest = None
    card: dict[str, Any] = {"submission": latest}
    if latest is None:
        return card
    public_beta = bool(policy.value("release.public_beta"))
    undo_left = _undo_left(mp) if latest.is_open else 0
    card.update(
        state=latest.state,
        state_label=latest.get_state_display(),
        version=latest.dev_version,
        reasons=_reasons(latest),
        screenshots=list(range(len(latest.screenshots or []))),
        reviewer_screenshots=list(range(len(_reviewer_screenshots(latest)))),
        undo_left=undo_left,
        can_withdraw=latest.is_open and access.may("versions.submit") and undo_left > 0,
        withdraw_refusal=(
            ReleaseError.UNDO_LIMIT.message(
                per_day=policy.value("submit.undo_per_day"),
                per_month=policy.value("submit.undo_per_month"),
            )
            if latest.is_open and undo_left <= 0
            else ""
        ),
        can_release=approved_waiting and access.may("versions.release"),
        public_beta=public_beta,
        public_beta_message=ReleaseError.PUBLIC_BETA.message() if public_beta else "",
        gray_running=selectors.gray_plan(mp) is not None,
        has_online=selectors.online_version(mp) is not None,
        test_account_requested=latest.test_account_requested,
    )
    return card
