"""Building one database of `make bench-scale` (issue 14 item 2): the measured mini program
through the real services, then the rest of the platform through bulk inserts.

Run by scripts/bench_scale.py in a child process whose DATABASE_URL names the SQLite file
(after `miniport migrate`); `build(sizes)` returns what the measuring process needs.

The measured mini program is made the way operators and its team make one: provisioned
(`provision_miniprogram`: account, registration, certified enterprise subject,
administrator, AppSecret), a service category, version 1.0.0 uploaded, reviewed and
released (what the launch answers), project and experience members added and confirmed by
the administrator's scan, and an ops staff account beside it.

Everything else is written with `executemany` on Django's connection inside one
transaction, rows as the services would leave them:
- per other mini program: administrator identity (real name, ID number and phone sealed
  with the real vault), account (unusable password), registration (mostly active, some
  waiting for a remittance or a certification, some failed, with their remittance and
  certification rows), subject, mini program, one service category, two members, the
  REG-5 places and today's API quota counters;
- a pool of super-app users the login codes and memberships are spread over;
- reviews of the kinds "name" and "category" (a tenth still open, with their pending
  names), each with its history;
- the audit log as valid keyed hash chains: the platform chain, every mini program's own
  chain, signed checkpoints every `audit.checkpoint_every_rows` entries, chain heads and
  each chain's stored verification, the same digests `audit.record` writes;
- login codes and access tokens of the past year (redeemed, expired), stored as keyed
  digests; stable tokens and unredeemed codes carry real sealed envelopes (a few, shared:
  no page opens them).

The measured mini program gets its share of the log, the codes and the tokens (1 %), so
its own history grows with the platform; its chain and the platform chain end the same
number of entries after their latest checkpoint in every database, so the audit page's
bounded chain check does the same work at both sizes.

SQLite only: ids are given explicitly (no sequences to move).
"""

from __future__ import annotations

import io
import json
import random
import secrets
import time
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

# What a database kept with --folder was built by: a change to the rows made here bumps it,
# so an older database is built again instead of reused.
FORMAT = 2
# Shares of the log, the codes and the tokens (see the module docstring).
MEASURED_SHARE = 0.01
PLATFORM_AUDIT_SHARE = 0.2
OPEN_REVIEW_EVERY = 10  # every tenth review is still open: the desk's queue
MEMBERS = {"project": 5, "experience": 3}  # of the measured mini program
BENCH_USERS = 200  # identities whose login codes and launch sessions the bench uses
BATCH = 20_000
STAFF_EMAIL = "scale-operator@miniport.example"
STAFF_PASSWORD = "scale-operator-password-1"  # noqa: S105 - a throwaway bench database
AUDIT_FILTER_ACTION = "member.confirm_add"
APP_ACTIONS = (
    "member.request_add",
    AUDIT_FILTER_ACTION,
    "member.set_roles",
    "profile.introduction_change",
    "categories.add",
    "devsettings.ip_whitelist",
    "devsettings.domains",
    "miniprogram.secret_reset",
    "review.open",
    "review.approve",
    "upload_key.create",
    "media.upload",
)
PLATFORM_ACTIONS = ("identity.create", "review.claim", "review.approve", "review.reject")
AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15"


@dataclass(frozen=True)
class Sizes:
    apps: int
    audit: int
    codes: int
    tokens: int
    reviews: int

    @property
    def registrations(self) -> int:
        return self.apps  # one registration per mini program


# --- plumbing ----------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    """A datetime as Django's SQLite backend stores it (naive UTC, str())."""
    return str(moment.astimezone(UTC).replace(tzinfo=None))


class _Writer:
    """INSERT statements of one model by field names, run with executemany in batches.
    Refuses a column list that leaves out a NOT NULL column (Django sets no database
    defaults), so a model that gains a field fails here loudly, not as a bad row."""

    def __init__(self, model: Any, fields: Iterable[str]):
        from django.db import connection

        self.connection = connection
        self.fields = list(fields)
        meta = model._meta
        listed = set(self.fields)
        missing = [
            f.name
            for f in meta.concrete_fields
            if not f.null and f.name not in listed and not f.primary_key
        ]
        if missing:
            raise SystemExit(f"{meta.label}: the bench writes no value for {missing}")
        quote = connection.ops.quote_name
        columns = ", ".join(quote(meta.get_field(name).column) for name in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        self.rows: list[tuple] = []
        self.written = 0

    def add(self, *row: Any) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.written += len(self.rows)
            self.rows = []


def _next_id(model: Any) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class _Row:
    """The attributes `audit.entry_hash` and `audit.checkpoint_signature` read, without
    building a model instance per row (a third of the time for a million rows)."""

    def __init__(self, **values: Any):
        self.__dict__.update(values)


def _log(message: str) -> None:
    print(f"  {message}", flush=True)


# --- the measured mini program, through the services ----------------------------------------


def _package(version: str) -> bytes:
    """A small valid mini program package; the version makes its bytes its own."""
    pages = ("pages/index/index", "pages/about/about")
    files = {
        "app.json": json.dumps({"pages": list(pages)}).encode(),
        "app.js": f"App({{}}) // {version}\n".encode(),
    }
    for page in pages:
        for suffix, body in ((".js", b"Page({})\n"), (".wxml", b"<view>hi</view>\n"),
                             (".wxss", b"view {}\n"), (".json", b"{}\n")):  # fmt: skip
            files[page + suffix] = body
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _measured_app() -> dict:
    from miniport.accounts.models import Account, AccountKind
    from miniport.core.actors import Actor
    from miniport.core.validators import make_id_number
    from miniport.identities import services as identity_services
    from miniport.miniprograms.services import categories
    from miniport.miniprograms.services import members as member_services
    from miniport.miniprograms.services.provisioning import provision_miniprogram
    from miniport.releases import services as releases
    from miniport.review import services as review_services

    actor = Actor.system("bench-scale")
    provisioned = provision_miniprogram(
        actor=actor,
        name="规模压测小程序",
        subject_type="enterprise",
        email="scale-bench@example.com",
        certified=True,
    )
    mp = provisioned.miniprogram
    category = categories.category_add(actor=actor, miniprogram=mp, first=1, second=101)
    item = {"address": "pages/index/index", "tag": "工具", "first_class": category.first_name,
            "second_class": category.second_name, "first_id": category.first_id,
            "second_id": category.second_id, "title": "首页"}  # fmt: skip
    dev_version = releases.version_upload(
        actor=actor, miniprogram=mp, archive=io.BytesIO(_package("1.0.0")),
        user_version="1.0.0", user_desc="bench-scale 1.0.0", source="cli",
    )  # fmt: skip
    submission = releases.version_submit_for_review(
        actor=actor, miniprogram=mp, dev_version=dev_version, items=[item]
    )
    review_services.review_approve(actor=Actor.system("bench-scale desk"), review=submission.review)
    releases.release_publish(actor=actor, miniprogram=mp)
    admin = mp.admin_identity
    admin_actor = Actor.for_identity(admin)
    n = 0
    for kind, count in MEMBERS.items():
        for _ in range(count):
            n += 1
            person = identity_services.identity_create(
                actor=actor,
                wechat_id=f"scale_member_{n:02d}",
                real_name="李四",
                id_number=make_id_number(date(1991, 3, n), sequence=500 + n),
            )
            roles = ("developer", "operator") if kind == "project" else ()
            _member, ticket = member_services.member_request_add(
                actor=admin_actor, miniprogram=mp, wechat_id=person.wechat_id, kind=kind,
                roles=roles, session_key="bench-scale-browser",
            )  # fmt: skip
            identity_services.ticket_confirm(identity=admin, token=ticket.token)
            member_services.member_confirm(
                actor=admin_actor, miniprogram=mp, token=ticket.token,
                session_key="bench-scale-browser",
            )  # fmt: skip
    staff = Account.objects.create_user(
        STAFF_EMAIL, STAFF_PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )
    return {
        "appid": mp.appid,
        "name": mp.name,
        "secret": provisioned.secret,
        "miniprogram_id": mp.pk,
        "account_id": mp.account_id,
        "admin_identity_id": admin.pk,
        "admin_wechat_id": admin.wechat_id,
        "staff_id": staff.pk,
        "category": [
            category.first_id,
            category.second_id,
            category.first_name,
            category.second_name,
        ],
    }


# --- the rest of the platform, in bulk ------------------------------------------------------


class _Platform:
    def __init__(self, sizes: Sizes, measured: dict, seed: int):
        from miniport.core import clock, ids, vault

        self.sizes = sizes
        self.measured = measured
        self.rng = random.Random(seed)
        self.now = clock.now()
        self.ids = ids
        self.vault = vault
        self.others = max(0, sizes.apps - 1)
        # A few real envelopes, shared by the rows no page opens.
        self.envelopes = [vault.seal_personal(ids.new_token(24)) for _ in range(16)]

    def past(self, fraction: float, days: int = 365) -> datetime:
        """A moment in the last `days`, later as `fraction` grows (rows come in order)."""
        return self.now - timedelta(seconds=(1.0 - fraction) * days * 86400 + 60)

    def envelope(self) -> str:
        return self.rng.choice(self.envelopes)

    # identities, accounts, registrations, subjects, mini programs ------------------------

    def people(self) -> None:
        from miniport.core.validators import make_id_number
        from miniport.identities.models import Identity

        n = self.others
        self.admin0 = _next_id(Identity)
        self.users0 = self.admin0 + n
        self.users = max(BENCH_USERS, self.sizes.apps)
        fields = ("id", "wechat_id", "nickname", "phone", "phone_digest", "real_name",
                  "id_number", "id_number_digest", "birth_date", "real_name_verified",
                  "searchable", "email", "password", "is_demo", "created_at")  # fmt: skip
        out = _Writer(Identity, fields)
        self.admin_ids: list[tuple[str, str]] = []  # (id number, phone) per administrator
        for j in range(n):
            # Unique ID numbers (each takes its own REG-5 place), in a region the measured
            # mini program's administrator is not from.
            born = date(1970, 1, 1) + timedelta(days=(j // 1000) * 37)
            number = make_id_number(born, region="440306", sequence=j % 1000)
            phone = f"13{j:09d}"
            self.admin_ids.append((number, phone))
            out.add(self.admin0 + j, f"scale_admin_{j:06d}", f"管理员{j}",
                    self.vault.seal_personal(phone), self.ids.digest(phone), "王五",
                    self.vault.seal_personal(number), self.ids.digest(number), born.isoformat(), True,
                    True, "", "", False, _stamp(self.past(j / max(1, n))))  # fmt: skip
        for u in range(self.users):
            name = f"scale_user_{u:06d}"
            out.add(self.users0 + u, name, f"用户{u}", "", "", "", "", "", None, False, True,
                    "", "", False, _stamp(self.past(u / self.users)))  # fmt: skip
        out.flush()
        _log(f"{out.written:,} identities")

    def user(self) -> int:
        return self.users0 + self.rng.randrange(self.users)

    def bench_users(self) -> list[int]:
        """The identities the measuring process issues login codes and sessions for."""
        return [self.users0 + u for u in range(BENCH_USERS)]

    def apps(self) -> None:
        from miniport.accounts.models import (
            Account,
            CertificationOrder,
            Registration,
            Remittance,
            Subject,
        )
        from miniport.accounts.services.information import (
            ID_RULE,
            ID_SCOPE,
            PHONE_RULE,
            PHONE_SCOPE,
        )
        from miniport.core import quotas
        from miniport.core.models import QuotaCounter
        from miniport.miniprograms.models import MiniProgram, MiniProgramCategory

        rng, n = self.rng, self.others
        account0, reg0 = _next_id(Account), _next_id(Registration)
        subject0, self.app0 = _next_id(Subject), _next_id(MiniProgram)
        self.category0 = _next_id(MiniProgramCategory)
        accounts = _Writer(Account, ("id", "password", "last_login", "is_superuser", "email",
                                     "kind", "is_active", "is_staff", "created_at",
                                     "activated_at", "activation_sent_at"))  # fmt: skip
        registrations = _Writer(Registration, ("id", "account", "status", "agreed_at",
                                               "submitted_at", "confirmed_at", "failed_at",
                                               "fail_reason", "verified_at", "appid",
                                               "remittance_due"))  # fmt: skip
        subjects = _Writer(Subject, ("id", "registration", "country", "subject_type",
                                     "verification_method", "name", "id_number", "credit_code",
                                     "admin_name", "admin_id_number", "admin_id_digest",
                                     "admin_phone", "admin_identity", "confirmed_at",
                                     "certified_at", "certified_until"))  # fmt: skip
        apps = _Writer(MiniProgram, ("id", "appid", "account", "subject", "admin_identity",
                                     "name", "short_name", "avatar", "introduction",
                                     "secret_digest", "secret_set_at", "first_released_at",
                                     "created_at"))  # fmt: skip
        remittances = _Writer(Remittance, ("registration", "amount_fen", "payer_name",
                                           "reference", "receiving_account_name",
                                           "receiving_account_number", "receiving_bank",
                                           "deadline", "matched_at", "statement_line"))  # fmt: skip
        orders = _Writer(CertificationOrder, ("registration", "amount_fen", "status",
                                              "created_at", "decided_at", "note"))  # fmt: skip
        categories = _Writer(MiniProgramCategory, ("id", "miniprogram", "first_id", "second_id",
                                                   "first_name", "second_name", "status",
                                                   "reason", "certificates", "created_at",
                                                   "decided_at"))  # fmt: skip
        counters = _Writer(QuotaCounter, ("scope", "rule", "window", "used", "updated_at"))
        first_id, second_id, first_name, second_name = self.measured["category"]
        today, ever = quotas.window_key("day"), quotas.window_key("ever")
        self.appids: list[str] = []
        self.app_admins: list[str] = []
        for j in range(n):
            created = self.past(j / max(1, n))
            at = _stamp(created)
            appid = "wx" + secrets.token_hex(8)
            self.appids.append(appid)
            self.app_admins.append(f"scale_admin_{j:06d}")
            roll = rng.random()
            # 90 % active, then waiting for a remittance, for a certification, failed.
            status = ("active" if roll < 0.90 else "pending_remittance" if roll < 0.94
                      else "pending_certification" if roll < 0.97 else "failed")  # fmt: skip
            kind = rng.choice(("personal", "personal", "enterprise", "enterprise",
                               "individual_business"))  # fmt: skip
            if status == "pending_certification":
                kind, method = "government", "certification"
            elif status != "active":
                kind, method = "enterprise", "remittance"
            elif kind == "personal":
                method = "none"
            else:
                method = "certification" if rng.random() < 0.5 else "remittance"
            personal = kind == "personal"
            certified = method == "certification" and status == "active"
            number, phone = self.admin_ids[j]
            accounts.add(account0 + j, "!" + secrets.token_urlsafe(30), None, False,
                         f"scale{j:06d}@example.com", "miniprogram", True, False, at, at,
                         None)  # fmt: skip
            deadline = None
            if method == "remittance":
                # Waiting: a deadline still ahead (the list's overdue sweep finds nothing
                # to write); matched or failed: one in the past.
                deadline = self.now + timedelta(days=1 + rng.randrange(9))
                if status != "pending_remittance":
                    deadline = created + timedelta(days=10)
            registrations.add(reg0 + j, account0 + j, status, at, at, at,
                              at if status == "failed" else None,
                              "remittance not received within the deadline"
                              if status == "failed" else "",
                              at if status == "active" else None, appid,
                              _stamp(deadline) if deadline else None)  # fmt: skip
            subjects.add(subject0 + j, reg0 + j, "CN", kind, method,
                         "王五" if personal else f"深圳规模科技{j:06d}有限公司",
                         self.vault.seal_personal(number) if personal else "",
                         "" if personal else f"91440300MA{j:08d}",
                         "王五", self.vault.seal_personal(number), self.ids.digest(number),
                         self.vault.seal_personal(phone), self.admin0 + j, at,
                         at if certified else None,
                         _stamp(created + timedelta(days=365)) if certified else None)  # fmt: skip
            named = status == "active" and rng.random() < 0.85
            apps.add(self.app0 + j, appid, account0 + j, subject0 + j, self.admin0 + j,
                     f"规模小程序{j:06d}" if named else None, "", "", "规模压测的小程序",
                     self.ids.digest(self.ids.new_secret()), at,
                     at if named else None, at)  # fmt: skip
            if deadline is not None:
                remittances.add(reg0 + j, 1000 + rng.randrange(9000), f"深圳规模科技{j:06d}有限公司",
                                f"R{j:09d}", "Miniport Ltd", "6222000000000000", "Bank of Bench",
                                _stamp(deadline), at if status == "active" else None, "{}")  # fmt: skip
            if method == "certification":
                orders.add(reg0 + j, 30000, "certified" if certified else "paid", at,
                           at if certified else None, "")  # fmt: skip
            categories.add(self.category0 + j, self.app0 + j, first_id, second_id, first_name,
                           second_name, "approved", "", "[]", at, at)  # fmt: skip
            counters.add(ID_SCOPE + self.ids.digest(number), ID_RULE, ever, 1, at)
            counters.add(PHONE_SCOPE + self.ids.digest(phone), PHONE_RULE, ever, 1, at)
            if status == "active":
                counters.add(f"app:{appid}", "api.stable_token_daily_quota", today,
                             1 + rng.randrange(2000), at)  # fmt: skip
                counters.add(f"app:{appid}", "api.token_daily_quota", today,
                             1 + rng.randrange(20), at)  # fmt: skip
        for writer in (accounts, registrations, subjects, apps, remittances, orders, categories,
                       counters):  # fmt: skip
            writer.flush()
        _log(f"{apps.written:,} mini programs with accounts, registrations, subjects, "
             f"categories ({remittances.written:,} remittances, {orders.written:,} "
             f"certification orders, {counters.written:,} quota counters)")  # fmt: skip

    def members(self) -> None:
        from miniport.miniprograms.models import Member

        out = _Writer(Member, ("miniprogram", "identity", "kind", "status", "is_operator",
                               "is_developer", "is_data_analyst", "userstr", "confirm_ticket",
                               "added_by", "created_at", "confirmed_at"))  # fmt: skip
        for j in range(self.others):
            at = _stamp(self.past(j / max(1, self.others)))
            first = self.users0 + (2 * j) % self.users
            second = self.users0 + (2 * j + 1) % self.users
            out.add(self.app0 + j, first, "project", "active", False, True, False,
                    self.ids.new_token(16), "", self.app_admins[j], at, at)  # fmt: skip
            out.add(self.app0 + j, second, "experience", "active", False, False, False,
                    self.ids.new_token(16), "", self.app_admins[j], at, at)  # fmt: skip
        out.flush()
        _log(f"{out.written:,} members")

    # reviews ---------------------------------------------------------------------------

    def reviews(self) -> None:
        from miniport.miniprograms.models import MiniProgramCategory, PendingName
        from miniport.review.models import Review, ReviewHistory

        rng, total = self.rng, self.sizes.reviews
        if not self.others:
            return
        review0 = _next_id(Review)
        reviews = _Writer(Review, ("id", "kind", "target_id", "appid", "state", "reasons",
                                   "material", "note", "submitted_by", "submitted_at",
                                   "claimed_by", "claimed_by_label", "claimed_at", "decided_by",
                                   "decided_at"))  # fmt: skip
        history = _Writer(ReviewHistory, ("review", "action", "from_state", "to_state", "at",
                                          "actor_label", "note"))  # fmt: skip
        pending_names = _Writer(PendingName, ("miniprogram", "requested_name", "review"))
        open_targets: set[tuple[str, int]] = set()
        pending_categories: list[int] = []
        first_name, second_name = self.measured["category"][2:]
        for r in range(total):
            j = r % self.others
            kind = "name" if r % 2 == 0 else "category"
            target = self.app0 + j if kind == "name" else self.category0 + j
            submitted = self.past(r / total, days=120)
            state = "pending" if r % OPEN_REVIEW_EVERY == 0 else rng.choice(
                ("approved", "approved", "approved", "rejected", "withdrawn"))  # fmt: skip
            if state == "pending" and (kind, target) in open_targets:
                state = "approved"
            name = f"新名称{r:07d}"
            material = ({"requested_name": name, "files": {}} if kind == "name"
                        else {"category": f"{first_name} > {second_name}"})  # fmt: skip
            decided = state != "pending"
            reasons = ["名称与服务内容不符"] if state == "rejected" else []
            decided_at = submitted + timedelta(hours=1 + rng.randrange(48))
            reviews.add(review0 + r, kind, str(target), self.appids[j], state,
                        json.dumps(reasons, ensure_ascii=False),
                        json.dumps(material, ensure_ascii=False), "", self.app_admins[j],
                        _stamp(submitted), "", "", None,
                        STAFF_EMAIL if decided else "",
                        _stamp(decided_at) if decided else None)  # fmt: skip
            history.add(review0 + r, "open", "", "pending", _stamp(submitted),
                        self.app_admins[j], "")  # fmt: skip
            if decided:
                action = {"approved": "approve", "rejected": "reject"}.get(state, "withdraw")
                history.add(review0 + r, action, "pending", state, _stamp(decided_at),
                            STAFF_EMAIL, "")  # fmt: skip
            else:
                open_targets.add((kind, target))
                if kind == "name":
                    pending_names.add(self.app0 + j, name, review0 + r)
                else:
                    pending_categories.append(target)
        for writer in (reviews, history, pending_names):
            writer.flush()
        # A category whose review is open is "under review" until it is decided.
        for start in range(0, len(pending_categories), 500):
            MiniProgramCategory.objects.filter(
                pk__in=pending_categories[start : start + 500]
            ).update(status="pending", decided_at=None)
        _log(f"{reviews.written:,} reviews ({len(open_targets):,} open), "
             f"{history.written:,} history rows")  # fmt: skip

    # the audit log ---------------------------------------------------------------------

    def audit(self) -> None:
        from miniport.core import audit, policy
        from miniport.core.models import (
            AuditChainCheck,
            AuditChainHead,
            AuditCheckpoint,
            AuditEntry,
        )

        rng, total = self.rng, self.sizes.audit
        every = max(1, policy.value("audit.checkpoint_every_rows"))
        measured = self.measured["appid"]
        heads = {h.chain: [h.seq, h.hash] for h in AuditChainHead.objects.all()}
        existing = set(heads)
        # The chains the page checks end half a checkpoint interval after their latest
        # checkpoint at both sizes (same work); the rest of the log is spread at random.
        tail = every // 2
        quota = {}
        for chain, share in ((measured, MEASURED_SHARE), ("", PLATFORM_AUDIT_SHARE)):
            have = heads.get(chain, [0, ""])[0]
            want = max(int(total * share), have + 1)
            want += (tail - want) % every
            quota[chain] = want - have
        spread = max(0, total - sum(quota.values()))
        plan = [measured] * quota[measured] + [""] * quota[""] + [None] * spread
        rng.shuffle(plan)
        entries = _Writer(AuditEntry, ("at", "actor_kind", "actor_id", "actor_label", "action",
                                       "target_type", "target_id", "appid", "before", "after",
                                       "origin_ip", "origin_agent", "chain", "seq", "prev_hash",
                                       "hash"))  # fmt: skip
        points = _Writer(AuditCheckpoint, ("chain", "seq", "head_hash", "count", "at",
                                           "signature"))  # fmt: skip
        count = len(plan)
        for i, chain in enumerate(plan):
            if chain is None:
                j = rng.randrange(self.others) if self.others else -1
                chain = self.appids[j] if j >= 0 else ""
            else:
                j = -1
            at = self.past(i / max(1, count))
            if chain:
                action = rng.choice(APP_ACTIONS)
                actor = (("identity", str(self.admin0 + j), self.app_admins[j]) if j >= 0
                         else ("identity", str(self.measured["admin_identity_id"]),
                               self.measured["admin_wechat_id"]))  # fmt: skip
                target = ("Member", str(rng.randrange(1, 10**6)))
                after = {"roles": ["developer"]} if action.startswith("member.") else {"n": i}
            else:
                action = rng.choice(PLATFORM_ACTIONS)
                actor = ("staff", "1", STAFF_EMAIL)
                target = ("Review", str(rng.randrange(1, 10**6)))
                after = {"state": "approved"}
            seq, prev = heads.setdefault(chain, [0, audit.GENESIS])
            seq += 1
            row = _Row(at=at, actor_kind=actor[0], actor_id=actor[1], actor_label=actor[2],
                       action=action, target_type=target[0], target_id=target[1], appid=chain,
                       before={}, after=after, origin_ip=f"10.{i % 250}.{j % 250}.7",
                       origin_agent=AGENT, chain=chain, seq=seq, prev_hash=prev)  # fmt: skip
            digest = audit.entry_hash(row)  # type: ignore[arg-type]
            entries.add(_stamp(at), row.actor_kind, row.actor_id, row.actor_label, action,
                        row.target_type, row.target_id, chain, "{}",
                        json.dumps(after, ensure_ascii=False), row.origin_ip, AGENT, chain, seq,
                        prev, digest)  # fmt: skip
            heads[chain] = [seq, digest]
            if seq % every == 0:
                point = _Row(chain=chain, seq=seq, head_hash=digest, count=seq, at=at)
                signature = audit.checkpoint_signature(point)  # type: ignore[arg-type]
                points.add(chain, seq, digest, seq, _stamp(at), signature)
        entries.flush()
        points.flush()
        for chain, (seq, digest) in heads.items():
            if chain in existing:
                AuditChainHead.objects.filter(chain=chain).update(seq=seq, hash=digest)
        new_heads = _Writer(AuditChainHead, ("chain", "seq", "hash"))
        for chain, (seq, digest) in heads.items():
            if chain not in existing:
                new_heads.add(chain, seq, digest)
        new_heads.flush()
        # What the worker's verification pass leaves: every chain checked and whole.
        AuditChainCheck.objects.all().delete()
        checks = _Writer(AuditChainCheck, ("chain", "checked_at", "ok", "seq", "checkpoint_seq",
                                           "full", "broken_entry", "broken_seq",
                                           "problem"))  # fmt: skip
        checked = _stamp(self.now - timedelta(minutes=30))
        for chain, (seq, _digest) in heads.items():
            checks.add(chain, checked, True, seq, seq - seq % every, False, None, None, "")
        checks.flush()
        _log(f"{entries.written:,} audit entries in {len(heads):,} chains, "
             f"{points.written:,} checkpoints")  # fmt: skip

    # credentials -----------------------------------------------------------------------

    def _app_of_share(self) -> int:
        """A mini program's id: the measured one for its share, else any other."""
        if not self.others or self.rng.random() < MEASURED_SHARE:
            return self.measured["miniprogram_id"]
        return self.app0 + self.rng.randrange(self.others)

    def codes(self) -> None:
        from miniport.miniprograms.models import LoginCode

        rng, total = self.rng, self.sizes.codes
        out = _Writer(LoginCode, ("miniprogram", "identity", "digest", "session_key",
                                  "created_at", "expires_at", "used_at"))  # fmt: skip
        for i in range(total):
            created = self.past(i / max(1, total))
            redeemed = rng.random() < 0.97
            out.add(self._app_of_share(), self.user(), self.ids.digest(self.ids.new_token(24)),
                    "" if redeemed else self.envelope(), _stamp(created),
                    _stamp(created + timedelta(seconds=300)),
                    _stamp(created + timedelta(seconds=2)) if redeemed else None)  # fmt: skip
        out.flush()
        _log(f"{out.written:,} login codes")

    def tokens(self) -> None:
        from miniport.miniprograms.models import AccessToken

        rng, total = self.rng, self.sizes.tokens
        out = _Writer(AccessToken, ("miniprogram", "family", "digest", "clear", "issued_at",
                                    "expires_at", "valid_until"))  # fmt: skip
        for i in range(total):
            issued = self.past(i / max(1, total))
            stable = rng.random() < 0.3
            expires = issued + timedelta(seconds=7200)
            # A normal token ends early when the next one is fetched (the grace window).
            valid = expires if stable else issued + timedelta(seconds=300 + rng.randrange(6900))
            out.add(self._app_of_share(), "stable" if stable else "token",
                    self.ids.digest(self.ids.new_token(96)), self.envelope() if stable else "",
                    _stamp(issued), _stamp(expires), _stamp(valid))  # fmt: skip
        out.flush()
        _log(f"{out.written:,} access tokens")


def build(sizes: Sizes, *, seed: int = 14) -> dict:
    """Fill the migrated, empty database; returns what the measuring process needs."""
    from django.db import connection, transaction

    if connection.vendor != "sqlite":
        raise SystemExit("bench-scale builds SQLite databases only")
    with connection.cursor() as cursor:
        # A throwaway file: no fsync while building, a large page cache.
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
    started = time.perf_counter()
    measured = _measured_app()
    _log(f"measured mini program {measured['appid']} through the services "
         f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
    platform = _Platform(sizes, measured, seed)
    with transaction.atomic():
        for step in (platform.people, platform.apps, platform.members, platform.reviews,
                     platform.audit, platform.codes, platform.tokens):  # fmt: skip
            begun = time.perf_counter()
            step()
            _log(f"  ({time.perf_counter() - begun:.1f} s)")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    measured["bench_users"] = platform.bench_users()
    measured["audit_action"] = AUDIT_FILTER_ACTION
    measured["format"] = FORMAT
    return measured
