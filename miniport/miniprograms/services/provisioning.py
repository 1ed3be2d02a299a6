"""A fully registered, active mini program in one step (operators' bulk provisioning, CI,
`miniport app create`, the demo data): account, registration, subject, administrator
identity, mini program and AppSecret, in one transaction.

Refusals: FIELD_REQUIRED (name), NAME_INVALID (a character that prints nothing, as for
every name: `services.naming`), SUBJECT_TYPE_INVALID, VERIFICATION_METHOD_NOT_ALLOWED (a
personal subject cannot be certified), EMAIL_INVALID, EMAIL_TAKEN, NAME_TAKEN,
IDENTITY_NOT_REAL_NAME (a named administrator who is not real-name verified),
ID_NUMBER_QUOTA and PHONE_QUOTA (REG-5 places, taken as a registration takes them).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction

from miniport.accounts.errors import AccountError
from miniport.accounts.services.provisioning import provision_check, registration_provision
from miniport.accounts.services.state import registration_record_appid
from miniport.core import audit, clock, ids
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import miniprogram_issue_secret
from miniport.miniprograms.services.naming import name_taken, refuse_invisible
from miniport.miniprograms.services.opening import miniprogram_create


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
            "certified": mp.subject.is_certified,
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


def provision_miniprogram(
    *,
    actor: Actor,
    name: str,
    subject_type: str,
    email: str,
    admin_wechat_id: str = "",
    certified: bool = False,
    subject_of: MiniProgram | None = None,
) -> Provisioned:
    """With `subject_of`, the new mini program belongs to that mini program's subject
    (same legal subject, same administrator; type and certification are the subject's):
    `miniport app create --subject-of APPID`. Its REG-5 places are taken again, so a
    subject owns at most as many mini programs as they allow."""
    name = (name or "").strip()
    if not name:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="name")
    refuse_invisible(name, error=MiniProgramError.NAME_INVALID, field="name")
    same_as = subject_of.subject if subject_of is not None else None
    if same_as is not None:
        subject_type = same_as.subject_type
        certified = same_as.is_certified
        admin_wechat_id = subject_of.admin_identity.wechat_id  # type: ignore[union-attr]
    email, certified = provision_check(subject_type=subject_type, certified=certified, email=email)
    if name_taken(name):
        raise PlatformError(MiniProgramError.NAME_TAKEN, field="name")
    try:
        with transaction.atomic():
            identity = _administrator(actor, admin_wechat_id)
            provisioned = registration_provision(
                email=email,
                name=name,
                subject_type=subject_type,
                certified=certified,
                identity=identity,
                same_as=same_as,
            )
            mp = miniprogram_create(
                actor=actor,
                account=provisioned.account,
                subject=provisioned.subject,
                admin_identity=identity,
            )
            mp.name = name
            mp.save(update_fields=["name"])
            registration_record_appid(registration=provisioned.registration, appid=mp.appid)
            secret = miniprogram_issue_secret(actor=actor, miniprogram=mp)
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
        miniprogram=mp,
        secret=secret,
        password=provisioned.password,
        admin_wechat_id=identity.wechat_id,
    )


def _administrator(actor: Actor, admin_wechat_id: str) -> Identity:
    """The named identity (created when unknown; refused unless real-name verified), or a
    new one."""
    if admin_wechat_id:
        identity = Identity.objects.filter(wechat_id=admin_wechat_id).first()
        if identity is None:
            id_number, phone = _random_identity_data()
            return identity_services.identity_create(
                actor=actor,
                wechat_id=admin_wechat_id,
                real_name=f"管理员{admin_wechat_id[:8]}",
                id_number=id_number,
                phone=phone,
            )
        if not identity.real_name_verified:
            raise PlatformError(IdentityError.IDENTITY_NOT_REAL_NAME, field="admin_wechat_id")
        return identity
    id_number, phone = _random_identity_data()
    return identity_services.identity_create(
        actor=actor,
        wechat_id="adm_" + secrets.token_hex(6),
        real_name="管理员",
        id_number=id_number,
        phone=phone,
    )
