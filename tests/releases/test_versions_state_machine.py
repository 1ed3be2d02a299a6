"""VER-3..VER-7, B-5 as one state machine (hypothesis): uploads, submissions, the desk's
decisions, withdrawals, releases, gray releases and rollbacks in any order. A model
predicts every outcome; after each step the database must agree and the invariants hold:
never a release without approval, never two open submissions, rollback only to
versions that were released, gray only upward, one online version at most."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from miniport.releases import selectors, services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import RELEASED_STATES, Release, Submission
from tests.releases.version_support import (
    approve,
    delay,
    make_app,
    reject,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db
DEPTH = 5  # release.rollback_depth's default
ACCOUNT = {"account": "tester", "password": "pw"}


@dataclass
class Sub:
    pk: int
    version: int
    state: str = "pending"
    released: bool = False
    wants_account: bool = False


@dataclass
class Row:
    pk: int
    version: int
    sub: int
    state: str
    seq: int
    rollback_of: int | None = None
    percentage: int = 100


@dataclass
class Model:
    subs: list[Sub] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    seq: int = 0

    def tick(self) -> int:
        self.seq += 1
        return self.seq

    def open_sub(self) -> Sub | None:
        return next((s for s in self.subs if s.state in ("pending", "delayed")), None)

    def row(self, state: str) -> Row | None:
        return next((r for r in self.rows if r.state == state), None)

    def needs_account(self) -> bool:
        decided = [s for s in self.subs if s.state != "withdrawn"]
        return bool(decided) and decided[-1].state == "rejected" and decided[-1].wants_account

    def releasable(self):
        decided = [s for s in self.subs if s.state != "withdrawn"]
        if not decided or not any(s.state == "approved" for s in self.subs):
            return None, ReleaseError.NOTHING_APPROVED
        latest = decided[-1]
        if latest.state != "approved":
            return None, ReleaseError.RELEASE_STATUS_NOT_ALLOWED
        if latest.released:
            return None, ReleaseError.ALREADY_RELEASED
        return latest, None

    def history(self) -> list[Row]:
        current = self.row("current")
        seen = {current.version} if current else set()
        found = []
        for row in sorted(self.rows, key=lambda r: r.seq, reverse=True):
            if row.state not in RELEASED_STATES or row.version in seen:
                continue
            seen.add(row.version)
            found.append(row)
        return found[:DEPTH]


def test_versions_reviews_and_releases_keep_their_rules(provision, make_identity):
    # The monthly submission and the withdrawal quotas have tests of their own; here a
    # run may submit and withdraw as often as the steps ask.
    for key in ("submit.per_month", "submit.undo_per_day", "submit.undo_per_month"):
        PolicyOverride.objects.create(key=key, value=1_000_000)
    policy.forget_cached()

    class Machine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.app = make_app(provision, make_identity)
            self.model = Model()
            self.versions: list = []
            self.gray_seen: dict[int, int] = {}

        def actor(self):
            return self.app.admin_actor

        def expect(self, call, code):
            with pytest.raises(PlatformError) as caught:
                call()
            assert caught.value.code == code, (caught.value.code, code)

        @rule(marker=st.integers(0, 3))
        def upload_version(self, marker):
            self.versions.append(upload(self.app, f"v{len(self.versions)}.{marker}"))

        @precondition(lambda self: self.versions)
        @rule(data=st.data())
        def submit_version(self, data):
            version = data.draw(st.sampled_from(self.versions))
            account = ACCOUNT if self.model.needs_account() else None
            if self.model.open_sub() is not None:
                self.expect(
                    lambda: submit(self.app, version, test_account=account),
                    ReleaseError.AUDIT_ALREADY_OPEN,
                )
                return
            made = submit(self.app, version, test_account=account)
            self.model.subs.append(Sub(made.pk, version.pk))

        @precondition(lambda self: self.model.open_sub() is None)
        @rule(publish_too=st.booleans())
        def ship_a_version(self, publish_too):
            """A whole cycle in one step (upload, submit, approve, maybe release), so that
            runs reach deep release histories."""
            version = upload(self.app, f"v{len(self.versions)}.ship")
            self.versions.append(version)
            account = ACCOUNT if self.model.needs_account() else None
            made = approve(submit(self.app, version, test_account=account))
            self.model.subs.append(Sub(made.pk, version.pk, state="approved"))
            if publish_too:
                self.publish()

        @precondition(lambda self: self.model.open_sub() is not None)
        @rule(
            decision=st.sampled_from(["approve", "reject", "reject_account", "delay", "withdraw"])
        )
        def decide(self, decision):
            sub = self.model.open_sub()
            row = Submission.objects.get(pk=sub.pk)
            releases_before = Release.objects.count()
            if decision == "approve":
                approve(row)
                sub.state = "approved"
                # VER-6: approval never releases by itself.
                assert Release.objects.count() == releases_before
            elif decision.startswith("reject"):
                wants = decision == "reject_account"
                reject(row, ["test_account_needed" if wants else "incomplete_features"])
                sub.state, sub.wants_account = "rejected", wants
            elif decision == "delay":
                if sub.state == "delayed":
                    return  # a delayed review is not delayed again
                delay(row, ["wait"])
                sub.state = "delayed"
            else:
                services.submission_withdraw(actor=self.actor(), submission=row)
                sub.state = "withdrawn"

        @rule()
        def publish(self):
            gray = self.model.row("gray")
            call = lambda: services.release_publish(  # noqa: E731
                actor=self.actor(), miniprogram=self.app.miniprogram
            )
            if gray is None:
                sub, refusal = self.model.releasable()
                if refusal is not None:
                    self.expect(call, refusal)
                    return
            release = call()
            current = self.model.row("current")
            if current is not None:
                current.state = "superseded"
            if gray is not None:
                assert release.pk == gray.pk
                gray.state, gray.seq, gray.percentage = "current", self.model.tick(), 100
                next(s for s in self.model.subs if s.pk == gray.sub).released = True
            else:
                sub.released = True
                self.model.rows.append(
                    Row(release.pk, sub.version, sub.pk, "current", self.model.tick())
                )

        @rule(percentage=st.integers(1, 100))
        def gray_release(self, percentage):
            call = lambda: services.gray_release(  # noqa: E731
                actor=self.actor(), miniprogram=self.app.miniprogram, percentage=percentage
            )
            gray = self.model.row("gray")
            if gray is not None:
                if percentage <= gray.percentage:
                    self.expect(call, ReleaseError.GRAY_PERCENTAGE_TOO_LOW)
                    return
                call()
                gray.percentage = percentage
                return
            if self.model.row("current") is None:
                self.expect(call, ReleaseError.GRAY_NO_ONLINE_RELEASE)
                return
            sub, refusal = self.model.releasable()
            if refusal is not None:
                self.expect(call, ReleaseError.GRAY_NOT_APPROVED)
                return
            made = call()
            sub.released = True
            self.model.rows.append(
                Row(made.pk, sub.version, sub.pk, "gray", self.model.tick(), percentage=percentage)
            )

        @rule()
        def gray_revert(self):
            call = lambda: services.gray_revert(  # noqa: E731
                actor=self.actor(), miniprogram=self.app.miniprogram
            )
            gray = self.model.row("gray")
            if gray is None:
                self.expect(call, ReleaseError.GRAY_NOT_RUNNING)
                return
            call()
            gray.state = "gray_cancelled"
            next(s for s in self.model.subs if s.pk == gray.sub).released = False

        @rule(pick=st.integers(0, 7))
        def rollback(self, pick):
            rows = self.model.rows
            target = rows[pick % len(rows)] if rows and pick < 7 else None
            release = Release.objects.get(pk=target.pk) if target else None
            call = lambda: services.release_rollback(  # noqa: E731
                actor=self.actor(), miniprogram=self.app.miniprogram, release=release
            )
            if self.model.row("gray") is not None:
                self.expect(call, ReleaseError.ROLLBACK_GRAY_RUNNING)
                return
            history = self.model.history()
            current = self.model.row("current")
            wanted = history[0] if target is None and history else target
            if current is None or not history:
                self.expect(call, ReleaseError.ROLLBACK_FORBIDDEN)
                return
            if current.rollback_of is not None:  # wechat-api 4.11: not a rollback's again
                self.expect(call, ReleaseError.ROLLBACK_OF_A_ROLLBACK)
                return
            if wanted is None or wanted.pk not in {r.pk for r in history}:
                self.expect(call, ReleaseError.ROLLBACK_FORBIDDEN)
                return
            restored = call()
            assert restored.dev_version_id == wanted.version
            current.state = "rolled_back"
            self.model.rows.append(
                Row(
                    restored.pk, wanted.version, wanted.sub, "current", self.model.tick(), wanted.pk
                )
            )

        @invariant()
        def database_agrees_with_the_model(self):
            mp = self.app.miniprogram
            stored = dict(Release.objects.filter(miniprogram=mp).values_list("pk", "state"))
            assert stored == {row.pk: row.state for row in self.model.rows}
            subs = dict(Submission.objects.filter(miniprogram=mp).values_list("pk", "state"))
            assert subs == {sub.pk: sub.state for sub in self.model.subs}
            assert [r.pk for r in selectors.rollback_history(mp)] == [
                r.pk for r in self.model.history()
            ]

        @invariant()
        def rules_hold(self):
            mp = self.app.miniprogram
            releases = Release.objects.filter(miniprogram=mp).select_related(
                "submission", "rollback_of"
            )
            for release in releases:
                # Never a release without approval.
                assert release.submission.state == "approved"
                # Rollback only to versions that were released for everyone.
                if release.rollback_of is not None:
                    assert release.rollback_of.state in RELEASED_STATES
                    assert release.rollback_of.dev_version_id == release.dev_version_id
                # Gray only upward.
                if release.state == "gray":
                    assert release.gray_percentage >= self.gray_seen.get(release.pk, 0)
                    self.gray_seen[release.pk] = release.gray_percentage
            assert sum(1 for r in releases if r.state == "current") <= 1
            assert sum(1 for r in releases if r.state == "gray") <= 1
            # Never two open submissions.
            assert (
                Submission.objects.filter(miniprogram=mp, state__in=("pending", "delayed")).count()
                <= 1
            )

    Machine.TestCase.settings = settings(
        max_examples=20,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    Machine.TestCase().runTest()
