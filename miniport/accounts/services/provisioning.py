"""A fully registered, active mini program in one step (operators' bulk provisioning, CI)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    Account,
    CertificationOrder,
    CertificationOrderStatus,
    Registration,
    RegistrationStatus,
    Subject,
    SubjectType,
    VerificationMethod,
)
from miniport.accounts.services.information import ID_SCOPE, PHONE_SCOPE
from miniport.accounts.services.signup import email_in_use
from miniport.core import audit, clock, ids, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import make_id_number
from miniport.identities.errors import IdentityError
from miniport.miniprograms.errors import MiniProgramError

if TYPE_CHECKING:
    from miniport.miniprograms.models import MiniProgram

CERTIFICATION_ONLY = {SubjectType.GOVERNMENT, SubjectType.MEDIA, SubjectType.OTHER}


@dataclass
class Provisioned:
    miniprogram: MiniProgram
    secret: str
    password: str
    admin_wechat_id: str

    def as_json(self) -> dict:
        mp = self.miniprogram
        return {
            "appid": mp.appid,
            "secret": self.secret,
            "name": mp.name,
            "email": mp.account.email,
            "password": self.password,
            "subject_type": mp.subject.subject_type,
            "certified": mp.subject.certified_at is not None,
            "admin_wechat_id": self.admin_wechat_id,
        }


def _random_identity_data() -> tuple[str, str]:
    today = clock.today()
    born = date(
        today.year - 20 - secrets.randbelow(30),
        1 + secrets.randbelow(12),
        1 + secrets.randbelow(28),
    )
    id_number = make_id_number(born, region="440305", sequence=secrets.randbelow(1000))
    phone = "139" + ids.numeric_code(8)
    return id_number, phone


def _credit_code() -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + ids.numeric_code(6) + "".join(secrets.choice(alphabet) for _ in range(10))


def provision_miniprogram(
    *,
    actor: Actor,
    name: str,
    subject_type: str,
    email: str,
    admin_wechat_id: str = "",
    certified: bool = False,
) -> Provisioned:
    from miniport.identities import services as identity_services
    from miniport.identities.models import Identity
    from miniport.miniprograms import services as mp_services
    from miniport.miniprograms.models import MiniProgram

    name = (name or "").strip()
    if not name:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="name")
    if subject_type not in SubjectType.values:
        raise PlatformError(AccountError.SUBJECT_TYPE_INVALID, field="subject_type")
    if subject_type == SubjectType.PERSONAL and certified:
        raise PlatformError(AccountError.VERIFICATION_METHOD_NOT_ALLOWED, field="certified")
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PlatformError(AccountError.EMAIL_INVALID, field="email")
    if email_in_use(email):
        raise PlatformError(AccountError.EMAIL_TAKEN, field="email")
    if MiniProgram.objects.filter(name=name).exists():
        raise PlatformError(MiniProgramError.NAME_TAKEN, field="name")
    certified = certified or subject_type in CERTIFICATION_ONLY
    password = secrets.token_urlsafe(12)
    now = clock.now()
    try:
        with transaction.atomic():
            if admin_wechat_id:
                identity = Identity.objects.filter(wechat_id=admin_wechat_id).first()
                if identity is None:
                    id_number, phone = _random_identity_data()
                    identity = identity_services.identity_create(
                        actor=actor,
                        wechat_id=admin_wechat_id,
                        real_name=f"管理员{admin_wechat_id[:8]}",
                        id_number=id_number,
                        phone=phone,
                    )
                elif not identity.real_name_verified:
                    raise PlatformError(
                        IdentityError.IDENTITY_NOT_REAL_NAME, field="admin_wechat_id"
                    )
            else:
                id_number, phone = _random_identity_data()
                identity = identity_services.identity_create(
                    actor=actor,
                    wechat_id="adm_" + secrets.token_hex(6),
                    real_name="管理员",
                    id_number=id_number,
                    phone=phone,
                )
            phone = identity.phone or "139" + ids.numeric_code(8)
            id_digest = ids.digest(identity.id_number)
            quotas.consume(
                ID_SCOPE + id_digest,
                "registration.id_number_max_miniprograms",
                window="ever",
                error=AccountError.ID_NUMBER_QUOTA,
                field="admin_wechat_id",
            )
            quotas.consume(
                PHONE_SCOPE + ids.digest(phone),
                "registration.phone_max_miniprograms",
                window="ever",
                error=AccountError.PHONE_QUOTA,
                field="admin_wechat_id",
            )
            account = Account.objects.create_user(email, password, is_active=True, activated_at=now)
            registration = Registration.objects.create(
                account=account,
                agreed_at=now,
                submitted_at=now,
                confirmed_at=now,
                verified_at=now,
                status=RegistrationStatus.ACTIVE,
            )
            personal = subject_type == SubjectType.PERSONAL
            if personal:
                method = VerificationMethod.NONE
            else:
                method = (
                    VerificationMethod.CERTIFICATION if certified else VerificationMethod.REMITTANCE
                )
            subject = Subject.objects.create(
                registration=registration,
                subject_type=subject_type,
                verification_method=method,
                name=identity.real_name if personal else name,
                id_number=identity.id_number if personal else "",
                credit_code="" if personal else _credit_code(),
                admin_name=identity.real_name,
                admin_id_number=identity.id_number,
                admin_id_digest=id_digest,
                admin_phone=phone,
                admin_identity=identity,
                confirmed_at=now,
                certified_at=now if certified else None,
            )
            if certified:
                CertificationOrder.objects.create(
                    registration=registration,
                    amount_fen=policy.value("registration.certification_fee_fen"),
                    status=CertificationOrderStatus.CERTIFIED,
                    created_at=now,
                    decided_at=now,
                    note="provisioned",
                )
            mp = mp_services.miniprogram_create(
                actor=actor, account=account, subject=subject, admin_identity=identity
            )
            mp.name = name
            mp.save(update_fields=["name"])
            secret = mp_services.miniprogram_issue_secret(actor=actor, miniprogram=mp)
            audit.record(
                actor,
                "miniprogram.provision",
                target=mp,
                appid=mp.appid,
                after={"name": name, "subject_type": subject_type, "certified": certified},
            )
    except IntegrityError:
        raise PlatformError(AccountError.EMAIL_TAKEN, field="email")
    return Provisioned(
        miniprogram=mp, secret=secret, password=password, admin_wechat_id=identity.wechat_id
    )
