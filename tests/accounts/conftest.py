"""Drive a registration through the real services up to any step, and take a snapshot
of everything a refused step must leave untouched."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail

from miniport.accounts import services
from miniport.accounts.models import (
    Account,
    ActivationToken,
    CertificationOrder,
    Draft,
    Registration,
    Remittance,
    SmsCode,
    Subject,
    SubjectType,
    VerificationMethod,
)
from miniport.core import sms
from miniport.core.actors import Actor
from miniport.core.models import QuotaCounter
from miniport.identities import services as identity_services
from miniport.identities.models import Identity
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import registration_confirm

PASSWORD = "Secret-Pass1"
# In the order the registrant meets them.
STEPS = ("registered", "activated", "subject", "sms_sent", "admin", "checked", "confirmed")
ORGANIZATION_NAMES = {
    SubjectType.ENTERPRISE: "深圳迷你港科技有限公司",
    SubjectType.INDIVIDUAL_BUSINESS: "南山区小港便利店",
    SubjectType.GOVERNMENT: "深圳市南山区政务服务数据管理局",
    SubjectType.MEDIA: "南山日报社",
    SubjectType.OTHER: "深圳市小程序开发者协会",
}
CREDIT_CODE = "91440300MA5FXK2L8T"
_numbers = itertools.count(1)


def activation_token(email: str) -> str:
    """The token of the latest activation mail sent to this address."""
    sent = [message for message in mail.outbox if email in message.to]
    assert sent, f"no mail to {email}"
    found = re.search(r"/register/activate/([^/\s]+)/", sent[-1].body)
    assert found, sent[-1].body
    return found.group(1)


def sms_code(phone: str) -> str:
    """The code of the latest SMS sent to this phone."""
    messages = sms.messages_to(phone)
    assert messages, f"no SMS to {phone}"
    found = re.search(r"\d{4,}", messages[-1]["text"])
    assert found, messages[-1]["text"]
    return found.group(0)


def new_phone() -> str:
    return f"139{next(_numbers):08d}"


def subject_data(
    subject_type: str, admin: Identity | None = None, **overrides: Any
) -> dict[str, Any]:
    """A valid information form for the type; a personal subject is the admin person."""
    if subject_type == SubjectType.PERSONAL:
        assert admin is not None
        data = {
            "country": "CN",
            "subject_type": subject_type,
            "name": admin.real_name,
            "id_number": admin.id_number,
        }
    else:
        method = (
            VerificationMethod.REMITTANCE
            if subject_type in (SubjectType.ENTERPRISE, SubjectType.INDIVIDUAL_BUSINESS)
            else VerificationMethod.CERTIFICATION
        )
        data = {
            "country": "CN",
            "subject_type": subject_type,
            "name": ORGANIZATION_NAMES[subject_type],
            "credit_code": CREDIT_CODE,
            "verification_method": method,
        }
    data.update(overrides)
    return data


@dataclass
class Walk:
    """One registration and everything used to drive it."""

    account: Account
    admin: Identity
    phone: str
    subject_type: str
    data: dict[str, Any]
    session_key: str
    reached: str = "registered"
    ticket: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def registration(self) -> Registration:
        return Registration.objects.get(account=self.account)

    @property
    def actor(self) -> Actor:
        return Actor.for_account(self.account)

    @property
    def email(self) -> str:
        return self.account.email

    def to(self, step: str) -> Walk:
        """Continue this registration up to `step` (inclusive)."""
        for name in STEPS[STEPS.index(self.reached) + 1 : STEPS.index(step) + 1]:
            getattr(self, "_" + name)()
            self.reached = name
        return self

    def _activated(self) -> None:
        services.account_activate(token=activation_token(self.email))
        self.account.refresh_from_db()

    def _subject(self) -> None:
        services.registration_save_subject(
            actor=self.actor, registration=self.registration, data=self.data
        )

    def _sms_sent(self) -> None:
        services.registration_send_sms(
            actor=self.actor, registration=self.registration, phone=self.phone
        )

    def _admin(self) -> None:
        services.registration_save_admin(
            actor=self.actor,
            registration=self.registration,
            admin_name=self.admin.real_name,
            admin_id_number=self.admin.id_number,
            phone=self.phone,
            sms_code=sms_code(self.phone),
        )

    def _checked(self) -> None:
        self.ticket = services.registration_request_admin_check(
            registration=self.registration, session_key=self.session_key
        )
        identity_services.ticket_confirm(identity=self.admin, token=self.ticket.token)
        services.registration_complete_admin_check(
            actor=self.actor, registration=self.registration, session_key=self.session_key
        )

    def _confirmed(self) -> None:
        registration_confirm(actor=self.actor, registration=self.registration)


@pytest.fixture
def drive(db, make_identity):
    """drive("admin", subject_type="enterprise") registers a new account and walks it
    through the real services up to that step; `.to(step)` continues later."""

    def start(
        step: str = "confirmed",
        *,
        subject_type: str = SubjectType.PERSONAL,
        email: str | None = None,
        admin: Identity | None = None,
        phone: str | None = None,
        **overrides: Any,
    ) -> Walk:
        number = next(_numbers)
        email = email or f"owner{number}@example.com"
        services.account_register(
            email=email, password=PASSWORD, password_confirm=PASSWORD, agreed=True
        )
        admin = admin or make_identity()
        walk = Walk(
            account=Account.objects.get(email=email),
            admin=admin,
            phone=phone or new_phone(),
            subject_type=subject_type,
            data=subject_data(subject_type, admin, **overrides),
            session_key=f"browser-session-{number}",
        )
        return walk.to(step)

    return start


def _quota_used() -> dict[tuple[str, str], int]:
    return {(row.scope, row.rule): row.used for row in QuotaCounter.objects.all()}


@pytest.fixture
def snapshot(db):
    """Everything a refused registration step must leave as it was."""

    def take(walk: Walk | None = None) -> dict[str, Any]:
        state: dict[str, Any] = {
            "accounts": Account.objects.count(),
            "active_accounts": Account.objects.filter(is_active=True).count(),
            "registrations": Registration.objects.count(),
            "subjects": Subject.objects.count(),
            "miniprograms": MiniProgram.objects.count(),
            "sms_codes": SmsCode.objects.count(),
            "activation_tokens": ActivationToken.objects.count(),
            "drafts": Draft.objects.count(),
            "remittances": Remittance.objects.count(),
            "certification_orders": CertificationOrder.objects.count(),
            "quota_used": _quota_used(),
            "mails": len(mail.outbox),
        }
        if walk is not None:
            registration = walk.registration
            draft = Draft.objects.filter(registration=registration).first()
            state.update(
                status=registration.status,
                confirmed_at=registration.confirmed_at,
                draft_data=draft.data if draft else None,
                draft_phone=draft.phone_verified if draft else None,
                draft_admin=draft.admin_identity_id if draft else None,
                draft_ticket=draft.admin_check_ticket if draft else None,
                sms_sent=len(sms.messages_to(walk.phone)),
            )
        return state

    return take
