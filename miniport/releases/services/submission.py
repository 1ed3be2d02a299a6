"""Review submissions (VER-3..VER-5): a development version sent to the review desk,
and its withdrawal.

`version_submit_for_review` refuses, in this order (each refusal changes nothing: no
submission, no review, no quota used):
- no development version: MUST_COMMIT_FIRST (85086); one of another mini program:
  VERSION_NOT_FOUND (86001); a mini program without a name: NOT_INITIALISED (86002);
- a submission already open (in review or delayed): AUDIT_ALREADY_OPEN (85009), also
  when a concurrent submission wins the database constraint;
- item groups not a list of 1..`submit.max_items`: ITEM_COUNT_INVALID (85023); an empty
  group: ITEM_EMPTY (85010); tags beyond `submit.max_tags` or `submit.max_tag_chars`:
  TAG_INVALID (85006); a title beyond `submit.max_title_chars`: TITLE_INVALID (85011);
  a page the package does not have: ITEM_PAGE_INVALID (85007); no category:
  ITEM_CATEGORY_MISSING, one that is not one of the mini program's approved categories:
  ITEM_CATEGORY_INVALID (both 85008);
- description or feedback beyond their policy rows: DATA_TOO_LARGE (85051); more
  screenshots than submit.max_screenshots: SCREENSHOTS_TOO_MANY (85093);
- VER-4: while the test-account entry is open (the last decided submission was rejected
  with the catalog reason `test_account_needed`), a submission without a test account:
  TEST_ACCOUNT_REQUIRED; while it is closed, one with a test account:
  TEST_ACCOUNT_NOT_OPEN; a test account without account and password:
  CoreError.FIELD_INVALID;
- a blocking pre-check (`prechecks.run_prechecks`: sizes under today's limits, privacy):
  PRECHECK_FAILED;
- the monthly quota `submit.per_month`: SUBMIT_QUOTA (85085).

`submission_withdraw` refuses a submission that is not open: UNDO_NOTHING_OPEN (85019),
and beyond `submit.undo_per_day` / `submit.undo_per_month`: UNDO_LIMIT (87013).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation

from miniport.core import audit, clock, events, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import whole_number
from miniport.miniprograms.models import (
    CategoryStatus,
    DevSettings,
    MiniProgram,
    MiniProgramCategory,
)
from miniport.releases import catalog
from miniport.releases.diff import diff_manifests
from miniport.releases.errors import ReleaseError
from miniport.releases.models import (
    OPEN_SUBMISSION_STATES,
    DevVersion,
    Release,
    ReleaseState,
    Submission,
    SubmissionState,
)
from miniport.releases.packages.manifest import PackageManifest
from miniport.releases.prechecks import (
    has_errors,
    page_of,
    run_prechecks,
    submission_guards_run,
)
from miniport.review import services as review_services

from .common import label_of, lock

CODE_KIND = "code"
# The rejection catalog's key by which a reviewer asks for a test account (VER-4).
TEST_ACCOUNT_REASON = catalog.TEST_ACCOUNT_NEEDED
ITEM_FIELDS = (
    "address",
    "tag",
    "first_class",
    "second_class",
    "third_class",
    "first_id",
    "second_id",
    "third_id",
    "title",
)


def submit_scope(miniprogram: MiniProgram) -> str:
    return f"code:{miniprogram.appid}"


def needs_test_account(miniprogram: MiniProgram) -> bool:
    """VER-4: the entry opens when the last decided submission (withdrawn ones do not
    count) was rejected because the reviewer needed a test account."""
    last = (
        Submission.objects.filter(miniprogram=miniprogram)
        .exclude(state=SubmissionState.WITHDRAWN)
        .order_by("-id")
        .first()
    )
    return bool(last and last.state == SubmissionState.REJECTED and last.test_account_requested)


def _tags(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return raw.split()
    if isinstance(raw, Iterable):
        return [part for item in raw for part in str(item).split()]
    return str(raw).split()


def clean_items(
    items: Any, *, pages: Iterable[str], approved: set[tuple[int, int]]
) -> list[dict[str, Any]]:
    """The item groups as stored, or the coded refusal of the first wrong one."""
    limit = policy.value("submit.max_items")
    if isinstance(items, Mapping | str | bytes) or not isinstance(items, Iterable):
        raise PlatformError(ReleaseError.ITEM_COUNT_INVALID, field="items", limit=limit)
    groups = list(items)
    if not 1 <= len(groups) <= limit:
        raise PlatformError(ReleaseError.ITEM_COUNT_INVALID, field="items", limit=limit)
    known_pages = set(pages)
    max_tags, max_tag_chars = policy.value("submit.max_tags"), policy.value("submit.max_tag_chars")
    max_title = policy.value("submit.max_title_chars")
    clean = []
    for number, item in enumerate(groups, start=1):
        if not isinstance(item, Mapping) or not any(
            str(item.get(key) or "").strip() for key in ITEM_FIELDS
        ):
            raise PlatformError(ReleaseError.ITEM_EMPTY, field="items", item=number)
        tags = _tags(item.get("tag"))
        if len(tags) > max_tags:
            raise PlatformError(
                ReleaseError.TAG_INVALID,
                field="items",
                item=number,
                reason=f"> {max_tags}",
            )
        for tag in tags:
            if len(tag) > max_tag_chars:
                raise PlatformError(
                    ReleaseError.TAG_INVALID, field="items", item=number, reason=tag
                )
        title = str(item.get("title") or "").strip()
        if len(title) > max_title:
            raise PlatformError(
                ReleaseError.TITLE_INVALID, field="items", item=number, limit=max_title
            )
        # The page is optional (wechat-api 4.5: a group may name a category alone); one
        # that is named must be a page of the package.
        address = str(item.get("address") or "").strip()
        if address and page_of(address) not in known_pages:
            raise PlatformError(
                ReleaseError.ITEM_PAGE_INVALID, field="items", item=number, page=address or "-"
            )
        first, second = whole_number(item.get("first_id")), whole_number(item.get("second_id"))
        if item.get("first_id") in (None, "") and item.get("second_id") in (None, ""):
            raise PlatformError(ReleaseError.ITEM_CATEGORY_MISSING, field="items", item=number)
        if first is None or second is None or (first, second) not in approved:
            raise PlatformError(ReleaseError.ITEM_CATEGORY_INVALID, field="items", item=number)
        group: dict[str, Any] = {
            "address": address,
            "tag": " ".join(tags),
            "first_class": str(item.get("first_class") or ""),
            "second_class": str(item.get("second_class") or ""),
            "first_id": first,
            "second_id": second,
            "title": title,
        }
        third_id = whole_number(item.get("third_id"))
        if third_id is not None:
            group["third_id"] = third_id
            group["third_class"] = str(item.get("third_class") or "")
        clean.append(group)
    return clean


def _within(value: str, field: str, rule: str) -> str:
    limit = policy.value(rule)
    if len(value) > limit:
        raise PlatformError(ReleaseError.DATA_TOO_LARGE, field=field, limit=limit)
    return value


def _clean_test_account(test_account: Any, entry_open: bool) -> dict[str, str] | None:
    given = test_account is not None and test_account != {} and test_account != ""
    if entry_open and not given:
        raise PlatformError(ReleaseError.TEST_ACCOUNT_REQUIRED, field="test_account")
    if not entry_open:
        if given:
            raise PlatformError(ReleaseError.TEST_ACCOUNT_NOT_OPEN, field="test_account")
        return None
    if not isinstance(test_account, Mapping):
        raise PlatformError(CoreError.FIELD_INVALID, field="test_account", reason="account")
    account = str(test_account.get("account") or "").strip()
    password = str(test_account.get("password") or "").strip()
    if not account or not password or len(account) > 100 or len(password) > 100:
        raise PlatformError(
            CoreError.FIELD_INVALID, field="test_account", reason="account, password"
        )
    note = _within(
        str(test_account.get("note") or "").strip(), "test_account", "submit.max_feedback_chars"
    )
    return {"account": account, "password": password, "note": note}


def approved_categories(miniprogram: MiniProgram) -> set[tuple[int, int]]:
    return set(
        MiniProgramCategory.objects.filter(
            miniprogram=miniprogram, status=CategoryStatus.APPROVED
        ).values_list("first_id", "second_id")
    )


def server_domains(miniprogram: MiniProgram) -> list[str]:
    dev = DevSettings.objects.filter(miniprogram=miniprogram).first()
    if dev is None:
        return []
    return [str(d) for values in (dev.domains or {}).values() for d in values or []]


def online_manifest(miniprogram: MiniProgram) -> dict[str, Any] | None:
    current = (
        Release.objects.filter(miniprogram=miniprogram, state=ReleaseState.CURRENT)
        .select_related("dev_version__package")
        .first()
    )
    return current.dev_version.package.manifest if current else None


def _refuse_unnamed(miniprogram: MiniProgram) -> None:
    if not miniprogram.name:
        raise PlatformError(ReleaseError.NOT_INITIALISED)


def _refuse_open_review(miniprogram: MiniProgram) -> None:
    if Submission.objects.filter(
        miniprogram=miniprogram, state__in=(SubmissionState.PENDING, SubmissionState.DELAYED)
    ).exists():
        raise PlatformError(ReleaseError.AUDIT_ALREADY_OPEN)


def submission_blockers(miniprogram: MiniProgram, manifest: PackageManifest) -> list[PlatformError]:
    """What would refuse a submission of this package now, apart from its form (the
    item groups, the texts): no name yet, a review still open, a declared plugin not
    usable. The console's pre-check shows them before the developer submits."""
    blockers = []
    for check in (
        _refuse_unnamed,
        _refuse_open_review,
        lambda mp: submission_guards_run(miniprogram=mp, manifest=manifest),
    ):
        try:
            check(miniprogram)
        except PlatformError as refused:
            blockers.append(refused)
    return blockers


def version_submit_for_review(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    dev_version: DevVersion | None,
    items: Any,
    description: str = "",
    feedback: str = "",
    screenshots: Iterable[str] = (),
    test_account: Mapping[str, str] | None = None,
    privacy_declared: bool = False,
) -> Submission:
    """Send a development version to the review desk (a review of kind "code")."""
    if dev_version is None:
        raise PlatformError(ReleaseError.MUST_COMMIT_FIRST)
    if dev_version.miniprogram_id != miniprogram.pk:
        raise PlatformError(ReleaseError.VERSION_NOT_FOUND)
    with transaction.atomic():
        mp = lock(miniprogram)
        _refuse_unnamed(mp)
        _refuse_open_review(mp)
        manifest = dev_version.package.manifest
        approved = approved_categories(mp)
        package = PackageManifest.coerce(manifest)
        groups = clean_items(items, pages=package.all_pages, approved=approved)
        # What the floors above refuse in the package (a declared plugin not usable).
        submission_guards_run(miniprogram=mp, manifest=package)
        description = _within(
            str(description or "").strip(), "description", "submit.max_description_chars"
        )
        feedback = _within(str(feedback or "").strip(), "feedback", "submit.max_feedback_chars")
        shots = [str(s) for s in (screenshots or ()) if str(s).strip()]
        if len(shots) > policy.value("submit.max_screenshots"):
            raise PlatformError(
                ReleaseError.SCREENSHOTS_TOO_MANY,
                field="screenshots",
                limit=policy.value("submit.max_screenshots"),
            )
        account = _clean_test_account(test_account, needs_test_account(mp))
        findings = run_prechecks(
            manifest=package,
            items=groups,
            server_domains=server_domains(mp),
            approved_categories=approved,
            privacy_declared=bool(privacy_declared),
        )
        if has_errors(findings):
            lang = translation.get_language() or "zh-hans"
            reason = "; ".join(f.message(lang) for f in findings if f.blocking)
            raise PlatformError(ReleaseError.PRECHECK_FAILED, reason=reason)
        quotas.consume(
            submit_scope(mp), "submit.per_month", window="month", error=ReleaseError.SUBMIT_QUOTA
        )
        now = clock.now()
        try:
            with transaction.atomic():
                submission = Submission.objects.create(
                    miniprogram=mp,
                    dev_version=dev_version,
                    items=groups,
                    description=description,
                    feedback=feedback,
                    screenshots=shots,
                    test_account=account,
                    prechecks=[f.as_json() for f in findings],
                    diff=diff_manifests(online_manifest(mp), package),
                    state=SubmissionState.PENDING,
                    submitted_by=label_of(actor),
                    submitted_at=now,
                )
        except IntegrityError:
            raise PlatformError(ReleaseError.AUDIT_ALREADY_OPEN) from None
        review = review_services.review_open(
            actor=actor,
            kind=CODE_KIND,
            target_id=submission.pk,
            appid=mp.appid,
            material={
                "version": dev_version.pk,
                "user_version": dev_version.user_version,
                "sha256": dev_version.package.sha256,
            },
        )
        submission.review = review
        submission.auditid = review.pk
        submission.save(update_fields=["review", "auditid"])
        after = {
            "auditid": submission.auditid,
            "submission": submission.pk,
            "version": dev_version.pk,
            "user_version": dev_version.user_version,
            "items": len(groups),
            "test_account": account is not None,
        }
        audit.record(actor, "code.submit", target=submission, appid=mp.appid, after=after)
        events.emit("code.submitted", {"appid": mp.appid, **after}, appid=mp.appid)
    return submission


def _take_undo(miniprogram: MiniProgram) -> None:
    per_day = policy.value("submit.undo_per_day")
    per_month = policy.value("submit.undo_per_month")
    scope = submit_scope(miniprogram)
    try:
        quotas.consume(scope, "submit.undo_per_day", window="day", error=ReleaseError.UNDO_LIMIT)
        quotas.consume(
            scope, "submit.undo_per_month", window="month", error=ReleaseError.UNDO_LIMIT
        )
    except PlatformError:
        raise PlatformError(ReleaseError.UNDO_LIMIT, per_day=per_day, per_month=per_month) from None


# Where a review keeps the time its submission asked to be sped up.
SPED_UP_AT = "sped_up_at"


def submission_speed_up(*, actor: Actor, submission: Submission) -> Submission:
    """Ask the desk to take an open submission first (speedupaudit): once per
    submission, submit.speedups_per_month a month. The desk shows the request on the
    review; 89402 not in review, 89404 asked already, 89405 beyond the month's quota."""
    with transaction.atomic():
        mp = lock(submission.miniprogram)
        current = Submission.objects.select_related("review").get(pk=submission.pk)
        review = current.review
        if not current.is_open or review is None:
            raise PlatformError(ReleaseError.SPEEDUP_NOT_IN_REVIEW)
        material = dict(review.material or {})
        if material.get(SPED_UP_AT):
            raise PlatformError(ReleaseError.SPEEDUP_ALREADY)
        quotas.consume(
            submit_scope(mp),
            "submit.speedups_per_month",
            window="month",
            error=ReleaseError.SPEEDUP_QUOTA,
        )
        material[SPED_UP_AT] = clock.now().isoformat()
        review.material = material
        review.save(update_fields=["material"])
        after = {"auditid": current.auditid, "submission": current.pk}
        audit.record(actor, "code.speed_up", target=current, appid=mp.appid, after=after)
        events.emit("code.speed_up", {"appid": mp.appid, **after}, appid=mp.appid)
    return current


def submission_quota(miniprogram: MiniProgram) -> dict[str, int]:
    """This month's submissions and speed-ups: what is left of each and its limit
    (queryquota)."""
    scope = submit_scope(miniprogram)
    limit, speedups = policy.value("submit.per_month"), policy.value("submit.speedups_per_month")
    return {
        "rest": quotas.remaining(scope, "submit.per_month", "month", limit=limit),
        "limit": limit,
        "speedup_rest": quotas.remaining(
            scope, "submit.speedups_per_month", "month", limit=speedups
        ),
        "speedup_limit": speedups,
    }


def withdrawal_target(miniprogram: MiniProgram) -> Submission:
    """The open submission a withdrawal would take back, or the refusal it would meet:
    UNDO_NOTHING_OPEN, or UNDO_LIMIT with the day's or the month's withdrawals used. The
    console's confirmation page asks this; `submission_withdraw` checks the same under
    its lock (and spends one of each)."""
    current = (
        Submission.objects.select_related("review", "dev_version")
        .filter(miniprogram=miniprogram, state__in=OPEN_SUBMISSION_STATES)
        .order_by("-id")
        .first()
    )
    if current is None or current.review is None:
        raise PlatformError(ReleaseError.UNDO_NOTHING_OPEN)
    scope = submit_scope(miniprogram)
    left = min(
        quotas.remaining(scope, "submit.undo_per_day", "day"),
        quotas.remaining(scope, "submit.undo_per_month", "month"),
    )
    if left <= 0:
        raise PlatformError(
            ReleaseError.UNDO_LIMIT,
            per_day=policy.value("submit.undo_per_day"),
            per_month=policy.value("submit.undo_per_month"),
        )
    return current


def submission_withdraw(*, actor: Actor, submission: Submission) -> Submission:
    """Take an open submission back from the desk (undocodeaudit)."""
    with transaction.atomic():
        mp = lock(submission.miniprogram)
        current = Submission.objects.select_related("review").get(pk=submission.pk)
        if not current.is_open or current.review is None:
            raise PlatformError(ReleaseError.UNDO_NOTHING_OPEN)
        _take_undo(mp)
        before = current.state
        # The code kind's withdraw callback mirrors the state onto the submission.
        review_services.review_withdraw(actor=actor, review=current.review)
        current.refresh_from_db()
        after = {"auditid": current.auditid, "submission": current.pk, "state": current.state}
        audit.record(
            actor,
            "code.withdraw",
            target=current,
            appid=mp.appid,
            before={"state": before},
            after=after,
        )
        events.emit("code.withdrawn", {"appid": mp.appid, **after}, appid=mp.appid)
    for field in ("state", "decided_at"):
        setattr(submission, field, getattr(current, field))
    return submission
