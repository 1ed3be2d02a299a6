"""Release (VER-6, VER-7), gray release and rollback (B-5), visit status.

Refusals (each changes nothing):
- `release_publish`: public beta on (`release.public_beta`): PUBLIC_BETA; no approved
  submission at all: NOTHING_APPROVED (85019); the latest submission (withdrawn ones
  aside) is not approved: RELEASE_STATUS_NOT_ALLOWED (85020); the latest approved one is
  already released: ALREADY_RELEASED (85052). Approval never releases by itself: only
  this action does. A running gray release is promoted to everyone.
- `gray_release`: public beta: PUBLIC_BETA; a percentage that is not a whole number in
  0..100, or 0 without members first: GRAY_PERCENTAGE_INVALID (85081); a running gray
  release and a percentage not above its own: GRAY_PERCENTAGE_TOO_LOW (85082); no
  running gray and nothing online: GRAY_NO_ONLINE_RELEASE (85079); no approved,
  unreleased submission: GRAY_NOT_APPROVED (85080).
- `gray_revert`: no running gray release: GRAY_NOT_RUNNING (`gray_to_cancel`).
- `release_rollback`: public beta: PUBLIC_BETA; a gray release running:
  ROLLBACK_GRAY_RUNNING (87011); nothing online, or a target that is not one of the last
  `release.rollback_depth` released versions of this mini program: ROLLBACK_FORBIDDEN
  (87012).
- `visit_status_set`: closing a mini program with nothing online:
  VISIT_STATUS_NOT_ALLOWED (85021).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.releases.errors import ReleaseError
from miniport.releases.models import (
    RELEASED_STATES,
    Release,
    ReleaseState,
    Submission,
    SubmissionState,
    VisitStatus,
)

from .common import label_of, lock, refuse_in_public_beta


def _current(miniprogram: MiniProgram) -> Release | None:
    return Release.objects.filter(miniprogram=miniprogram, state=ReleaseState.CURRENT).first()


def _gray(miniprogram: MiniProgram) -> Release | None:
    return Release.objects.filter(miniprogram=miniprogram, state=ReleaseState.GRAY).first()


def _released(submission: Submission) -> bool:
    """Whether this submission's version went out by its own release (a cancelled gray
    release does not count; rollbacks put earlier versions back, they are not it)."""
    return (
        Release.objects.filter(submission=submission, rollback_of__isnull=True)
        .exclude(state=ReleaseState.GRAY_CANCELLED)
        .exists()
    )


def releasable(miniprogram: MiniProgram) -> tuple[Submission | None, ReleaseError | None]:
    """The approved submission a release would put online, or why there is none."""
    latest = (
        Submission.objects.filter(miniprogram=miniprogram)
        .exclude(state=SubmissionState.WITHDRAWN)
        .select_related("dev_version")
        .order_by("-id")
        .first()
    )
    if (
        latest is None
        or not Submission.objects.filter(
            miniprogram=miniprogram, state=SubmissionState.APPROVED
        ).exists()
    ):
        return None, ReleaseError.NOTHING_APPROVED
    if latest.state != SubmissionState.APPROVED:
        return None, ReleaseError.RELEASE_STATUS_NOT_ALLOWED
    if _released(latest):
        return None, ReleaseError.ALREADY_RELEASED
    return latest, None


def _payload(miniprogram: MiniProgram, release: Release, **more: Any) -> dict[str, Any]:
    return {
        "appid": miniprogram.appid,
        "release": release.pk,
        "version": release.dev_version_id,
        "user_version": release.dev_version.user_version,
        "user_desc": release.dev_version.user_desc,
        "auditid": release.submission.auditid,
        "gray_percentage": release.gray_percentage,
        "members_first": release.members_first,
        "experiencers_first": release.experiencers_first,
        "state": release.state,
        **more,
    }


def _end(release: Release | None, state: str, now) -> None:
    if release is not None:
        release.state, release.ended_at = state, now
        release.save(update_fields=["state", "ended_at"])


def _mark_first_release(miniprogram: MiniProgram, now) -> None:
    # The mini program's "released once" stamp (INF-2 counts name changes by it).
    MiniProgram.objects.filter(pk=miniprogram.pk, first_released_at__isnull=True).update(
        first_released_at=now
    )


def release_publish(*, actor: Actor, miniprogram: MiniProgram) -> Release:
    """Put the approved version online for everyone (the running gray release, if any)."""
    refuse_in_public_beta()
    with transaction.atomic():
        mp = lock(miniprogram)
        now = clock.now()
        previous = _current(mp)
        gray = _gray(mp)
        if gray is not None:
            release = gray
            # Free the one-current place before the gray row takes it.
            _end(previous, ReleaseState.SUPERSEDED, now)
            release.state, release.gray_percentage, release.members_first = (
                ReleaseState.CURRENT,
                100,
                False,
            )
            release.released_at, release.released_by_label = now, label_of(actor)
            release.save(
                update_fields=[
                    "state",
                    "gray_percentage",
                    "members_first",
                    "released_at",
                    "released_by_label",
                ]
            )
        else:
            submission, refusal = releasable(mp)
            if refusal is not None or submission is None:
                raise PlatformError(refusal or ReleaseError.NOTHING_APPROVED)
            _end(previous, ReleaseState.SUPERSEDED, now)
            release = Release.objects.create(
                miniprogram=mp,
                dev_version=submission.dev_version,
                submission=submission,
                released_by_label=label_of(actor),
                released_at=now,
                gray_percentage=100,
                state=ReleaseState.CURRENT,
            )
        _mark_first_release(mp, now)
        payload = _payload(mp, release, previous=previous.pk if previous else None)
        audit.record(
            actor,
            "code.release",
            target=release,
            appid=mp.appid,
            before={"release": previous.pk if previous else None},
            after=payload,
        )
        events.emit("code.released", payload, appid=mp.appid)
    return release


def _percentage(value: Any) -> int:
    if isinstance(value, bool):
        raise PlatformError(ReleaseError.GRAY_PERCENTAGE_INVALID, field="gray_percentage")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise PlatformError(ReleaseError.GRAY_PERCENTAGE_INVALID, field="gray_percentage") from None
    if not 0 <= number <= 100:
        raise PlatformError(ReleaseError.GRAY_PERCENTAGE_INVALID, field="gray_percentage")
    return number


def gray_release(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    percentage: Any,
    members_first: bool = False,
    experiencers_first: bool = False,
) -> Release:
    """Start a gray release of the approved version, or raise its percentage; project
    members first and experience members first are chosen apart (0% needs one)."""
    refuse_in_public_beta()
    number = _percentage(percentage)
    members_first, experiencers_first = bool(members_first), bool(experiencers_first)
    if number == 0 and not (members_first or experiencers_first):
        raise PlatformError(ReleaseError.GRAY_PERCENTAGE_INVALID, field="gray_percentage")
    with transaction.atomic():
        mp = lock(miniprogram)
        now = clock.now()
        gray = _gray(mp)
        if gray is not None:
            if number <= gray.gray_percentage:
                raise PlatformError(
                    ReleaseError.GRAY_PERCENTAGE_TOO_LOW,
                    field="gray_percentage",
                    current=gray.gray_percentage,
                )
            before = {
                "gray_percentage": gray.gray_percentage,
                "members_first": gray.members_first,
                "experiencers_first": gray.experiencers_first,
            }
            gray.gray_percentage = number
            gray.members_first, gray.experiencers_first = members_first, experiencers_first
            gray.save(update_fields=["gray_percentage", "members_first", "experiencers_first"])
        else:
            if _current(mp) is None:
                raise PlatformError(ReleaseError.GRAY_NO_ONLINE_RELEASE)
            submission, refusal = releasable(mp)
            if refusal is not None or submission is None:
                raise PlatformError(ReleaseError.GRAY_NOT_APPROVED)
            before = {}
            gray = Release.objects.create(
                miniprogram=mp,
                dev_version=submission.dev_version,
                submission=submission,
                released_by_label=label_of(actor),
                released_at=now,
                gray_percentage=number,
                members_first=members_first,
                experiencers_first=experiencers_first,
                state=ReleaseState.GRAY,
                gray_started_at=now,
            )
        payload = _payload(mp, gray, status="running")
        audit.record(
            actor, "code.gray_release", target=gray, appid=mp.appid, before=before, after=payload
        )
        events.emit("code.gray_changed", payload, appid=mp.appid)
    return gray


def gray_to_cancel(miniprogram: MiniProgram) -> Release:
    """The running gray release a cancellation would end, or its refusal
    (GRAY_NOT_RUNNING). `gray_revert` asks this under its lock; the console's
    confirmation page asks it too, so it refuses what the cancellation would."""
    gray = _gray(miniprogram)
    if gray is None:
        raise PlatformError(ReleaseError.GRAY_NOT_RUNNING)
    return gray


def gray_revert(*, actor: Actor, miniprogram: MiniProgram) -> Release:
    """Cancel the running gray release: everyone gets the online version again. The
    approved version stays approved and may be released later."""
    with transaction.atomic():
        mp = lock(miniprogram)
        gray = gray_to_cancel(mp)
        before = {"gray_percentage": gray.gray_percentage, "state": gray.state}
        _end(gray, ReleaseState.GRAY_CANCELLED, clock.now())
        payload = _payload(mp, gray, status="cancelled")
        audit.record(
            actor, "code.gray_revert", target=gray, appid=mp.appid, before=before, after=payload
        )
        events.emit("code.gray_changed", payload, appid=mp.appid)
    return gray


def rollback_targets(miniprogram: MiniProgram) -> list[Release]:
    """B-5: the last `release.rollback_depth` versions that were online for everyone and
    are not online now, the latest first, one row per version (its latest release):
    revertcoderelease's history."""
    depth = policy.value("release.rollback_depth")
    current = _current(miniprogram)
    seen = {current.dev_version_id} if current is not None else set()
    targets: list[Release] = []
    rows = (
        Release.objects.filter(miniprogram=miniprogram, state__in=RELEASED_STATES)
        .select_related("dev_version", "submission")
        .order_by("-released_at", "-id")
    )
    for row in rows.iterator(chunk_size=50):
        if len(targets) >= depth:
            break
        if row.dev_version_id in seen:
            continue
        seen.add(row.dev_version_id)
        targets.append(row)
    return targets


def rollback_target(
    miniprogram: MiniProgram, release: Release | None = None
) -> tuple[Release, Release]:
    """(the release online now, the one a rollback would put back: `release`, or the
    latest earlier one by default), or the refusal of the rollback. The console's
    confirmation page asks this too, so it refuses what the rollback would."""
    refuse_in_public_beta()
    depth = policy.value("release.rollback_depth")
    if _gray(miniprogram) is not None:
        raise PlatformError(ReleaseError.ROLLBACK_GRAY_RUNNING)
    current = _current(miniprogram)
    targets = rollback_targets(miniprogram)
    if current is None or not targets:
        raise PlatformError(ReleaseError.ROLLBACK_FORBIDDEN, limit=depth)
    if current.rollback_of_id is not None:
        # wechat-api 4.11: a version put back by a rollback cannot be rolled back
        # again (a release of new code can be).
        raise PlatformError(ReleaseError.ROLLBACK_OF_A_ROLLBACK)
    if release is None:
        return current, targets[0]
    matching = [t for t in targets if t.pk == release.pk]
    if not matching:
        raise PlatformError(ReleaseError.ROLLBACK_FORBIDDEN, limit=depth)
    return current, matching[0]


def release_rollback(
    *, actor: Actor, miniprogram: MiniProgram, release: Release | None = None
) -> Release:
    """Put an earlier released version online again (the latest earlier one by default),
    as a new release row that names the one it restores."""
    refuse_in_public_beta()
    with transaction.atomic():
        mp = lock(miniprogram)
        current, target = rollback_target(mp, release)
        now = clock.now()
        _end(current, ReleaseState.ROLLED_BACK, now)
        restored = Release.objects.create(
            miniprogram=mp,
            dev_version=target.dev_version,
            submission=target.submission,
            rollback_of=target,
            released_by_label=label_of(actor),
            released_at=now,
            gray_percentage=100,
            state=ReleaseState.CURRENT,
        )
        payload = _payload(mp, restored, rolled_back=current.pk, restored_release=target.pk)
        audit.record(
            actor,
            "code.rollback",
            target=restored,
            appid=mp.appid,
            before={"release": current.pk, "user_version": current.dev_version.user_version},
            after=payload,
        )
        events.emit("code.rolled_back", payload, appid=mp.appid)
    return restored


def visit_status_set(*, actor: Actor, miniprogram: MiniProgram, open: bool) -> bool:  # noqa: A002
    """Pause ("close", open=False) or resume ("open") the mini program for its users;
    answers whether it is open afterwards. Setting the status it has changes nothing."""
    with transaction.atomic():
        mp = lock(miniprogram)
        wanted = bool(open)
        row = VisitStatus.objects.filter(miniprogram=mp).first()
        was_open = row.is_open if row is not None else True
        if not wanted and _current(mp) is None:
            raise PlatformError(ReleaseError.VISIT_STATUS_NOT_ALLOWED)
        if was_open == wanted:
            return wanted
        if row is None:
            row = VisitStatus(miniprogram=mp)
        row.is_open, row.changed_by, row.changed_at = wanted, label_of(actor), clock.now()
        row.save()
        payload = {"appid": mp.appid, "open": wanted, "status": 1 if wanted else 0}
        audit.record(
            actor,
            "code.visit_status",
            target=row,
            appid=mp.appid,
            before={"open": was_open},
            after=payload,
        )
        events.emit("code.visit_status_changed", payload, appid=mp.appid)
    return wanted
