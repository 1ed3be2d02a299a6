"""The platform grown by many rows of every kind the large database of issue 14 item 2
holds, through bulk paths: other mini programs with their accounts, registrations,
subjects and members, registrations still waiting for a remittance, audit rows (in valid
hash chains, so the audit page has nothing broken to report), reviews, issued login
codes and access tokens, console messages.

`grow` adds one batch; the scale tests draw a page, grow the platform, and draw it again.
Each batch is newer than the one before (ids, times), so a list that shows the newest
first shows the newest batch, and the review queue (the longest waiting first) the first.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

from miniport.accounts.models import (
    Account,
    Registration,
    RegistrationStatus,
    Remittance,
    Subject,
    SubjectType,
    VerificationMethod,
)
from miniport.core import clock, ids
from miniport.core.audit.digest import GENESIS, entry_hash
from miniport.core.models import AuditChainHead, AuditEntry
from miniport.identities.models import Identity
from miniport.miniprograms.models import (
    AccessToken,
    LoginCode,
    Member,
    MemberKind,
    MemberStatus,
    Message,
    MiniProgram,
    TokenFamily,
)
from miniport.miniprograms.selectors import NAME_KIND
from miniport.payments.models import (
    CertificationApplication,
    CertificationKind,
    Merchant,
    MerchantKind,
)
from miniport.review.models import Review, ReviewState

# Per grown mini program: its audit rows, login codes, tokens and messages.
AUDIT_ROWS = 3
LOGIN_CODES = 3
TOKENS = 2
MESSAGES = 2

_batches = itertools.count(1)


def grow(count: int) -> None:
    """`count` more mini programs (each with its account, registration, subject, two
    members, audit chain, name review, login codes, tokens, messages, merchant and a
    certification application waiting for its fee) and `count` more registrations
    waiting for a remittance."""
    batch = next(_batches)
    tag = f"g{batch}"
    now = clock.now()
    later = now + timedelta(minutes=batch)
    people = Identity.objects.bulk_create(
        Identity(wechat_id=f"{tag}_user_{i}", nickname=f"{tag} {i}", created_at=now)
        for i in range(count * 3)
    )
    accounts = Account.objects.bulk_create(
        Account(email=f"{tag}_{i}@scale.example", password="!", is_active=True)  # noqa: S106
        for i in range(count * 2)
    )
    registrations = Registration.objects.bulk_create(
        Registration(
            account=account,
            status=RegistrationStatus.ACTIVE
            if i < count
            else RegistrationStatus.PENDING_REMITTANCE,
            agreed_at=now,
            submitted_at=now,
            confirmed_at=now,
            verified_at=now if i < count else None,
            # The copy of the remittance's deadline the overdue sweep reads.
            remittance_due=None if i < count else now + timedelta(days=10),
        )
        for i, account in enumerate(accounts)
    )
    subjects = Subject.objects.bulk_create(
        Subject(
            registration=registration,
            subject_type=SubjectType.ENTERPRISE,
            verification_method=VerificationMethod.REMITTANCE,
            name=f"{tag} 公司 {i}",
            credit_code=f"91{batch:04d}{i:08d}",
            admin_name="李四",
            admin_id_number=f"11010119900101{i:04d}",
            admin_id_digest=ids.digest(f"{tag}-admin-{i}"),
            admin_phone="13800000000",
            admin_identity=people[i],
            confirmed_at=now,
        )
        for i, registration in enumerate(registrations)
    )
    Remittance.objects.bulk_create(
        Remittance(
            registration=registration,
            amount_fen=101,
            payer_name=f"{tag} 公司 {i}",
            reference=f"R{batch:03d}{i:08d}",
            receiving_account_name="Miniport",
            receiving_account_number="6222000000000000",
            receiving_bank="Bank",
            deadline=now + timedelta(days=10),
        )
        for i, registration in enumerate(registrations[count:])
    )
    programs = MiniProgram.objects.bulk_create(
        MiniProgram(
            appid=f"wx{tag}x{i:06d}",
            account=accounts[i],
            subject=subjects[i],
            admin_identity=people[i],
            name=f"{tag} 小程序 {i}",
            created_at=now,
        )
        for i in range(count)
    )
    Member.objects.bulk_create(
        Member(
            miniprogram=mp,
            identity=people[count + i * 2 + k],
            kind=kind,
            status=MemberStatus.ACTIVE,
            is_developer=kind == MemberKind.PROJECT,
            userstr=f"{tag}-{i}-{k}",
            created_at=now,
        )
        for i, mp in enumerate(programs)
        for k, kind in enumerate((MemberKind.PROJECT, MemberKind.EXPERIENCE))
    )
    _audit_chains(programs, later)
    Review.objects.bulk_create(
        Review(
            kind=NAME_KIND,
            target_id=str(mp.pk),
            appid=mp.appid,
            state=ReviewState.PENDING,
            material={"requested_name": f"{tag} 新名字 {i}"},
            submitted_by=f"{tag} admin",
            submitted_at=later + timedelta(seconds=i),
        )
        for i, mp in enumerate(programs)
    )
    LoginCode.objects.bulk_create(
        LoginCode(
            miniprogram=mp,
            identity=people[count + i * 2],
            digest=ids.digest(f"{tag}-code-{i}-{k}"),
            created_at=now - timedelta(hours=1),
            expires_at=now - timedelta(minutes=55),
            used_at=now - timedelta(minutes=59),
        )
        for i, mp in enumerate(programs)
        for k in range(LOGIN_CODES)
    )
    AccessToken.objects.bulk_create(
        AccessToken(
            miniprogram=mp,
            family=TokenFamily.STABLE if k % 2 else TokenFamily.TOKEN,
            digest=ids.digest(f"{tag}-token-{i}-{k}"),
            issued_at=now - timedelta(hours=3),
            expires_at=now - timedelta(hours=1),
            valid_until=now - timedelta(hours=1),
        )
        for i, mp in enumerate(programs)
        for k in range(TOKENS)
    )
    Message.objects.bulk_create(
        Message(miniprogram=mp, kind="scale", title=f"{tag} message {k}", created_at=now)
        for mp in programs
        for k in range(MESSAGES)
    )
    Merchant.objects.bulk_create(
        Merchant(
            mch_id=f"9{batch:03d}{i:06d}",
            kind=MerchantKind.MINIPROGRAM,
            miniprogram=mp,
            name=f"{tag} 商户 {i}",
            api_key="k" * 32,
            key_set_at=now,
            created_at=later,
        )
        for i, mp in enumerate(programs)
    )
    CertificationApplication.objects.bulk_create(
        CertificationApplication(
            miniprogram=mp,
            kind=CertificationKind.FIRST,
            contact_name="王五",
            contact_phone="13900000000",
            fee_fen=30000,
            submitted_by=f"{tag} admin",
            created_at=later,
        )
        for mp in programs
    )


def _audit_chains(programs: list[MiniProgram], at) -> None:
    """AUDIT_ROWS rows in each mini program's own chain, hashed as `audit.record` would
    hash them, and the chain's head."""
    entries, heads = [], []
    for mp in programs:
        prev = GENESIS
        for seq in range(1, AUDIT_ROWS + 1):
            entry = AuditEntry(
                at=at,
                actor_kind="system",
                actor_label="scale",
                action="miniprogram.provision" if seq == 1 else "member.add",
                target_type="MiniProgram",
                target_id=str(mp.pk),
                appid=mp.appid,
                chain=mp.appid,
                seq=seq,
                prev_hash=prev,
            )
            entry.hash = prev = entry_hash(entry)
            entries.append(entry)
        heads.append(AuditChainHead(chain=mp.appid, seq=AUDIT_ROWS, hash=prev))
    AuditEntry.objects.bulk_create(entries)
    AuditChainHead.objects.bulk_create(heads)
