"""Registrations walked through every step before the final confirmation."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from miniport.core import sms
from miniport.core.actors import Actor


def _activation_token(email: str) -> str:
    sent = [message for message in mail.outbox if email in message.to]
    return re.search(r"/register/activate/([^/\s]+)/", sent[-1].body).group(1)


def _sms_code(phone: str) -> str:
    return re.search(r"\d+", sms.messages_to(phone)[-1]["text"]).group(0)


@pytest.fixture
def ready_to_confirm(db):
    """A personal registration whose subject, phone and administrator scan are all done:
    only `registration_confirm` is left."""
    from miniport.accounts import services as accounts
    from miniport.identities import services as identity_services

    counter = {"n": 0}

    def factory(admin, *, phone: str):
        counter["n"] += 1
        email = f"pending{counter['n']}@example.com"
        account = accounts.account_register(
            email=email, password="secret-pass-1", password_confirm="secret-pass-1", agreed=True
        )
        accounts.account_activate(token=_activation_token(email))
        account.refresh_from_db()
        registration = account.registration
        owner = Actor.for_account(account)
        accounts.registration_save_subject(
            actor=owner,
            registration=registration,
            data={
                "country": "CN",
                "subject_type": "personal",
                "name": admin.real_name,
                "id_number": admin.id_number,
            },
        )
        accounts.registration_send_sms(actor=owner, registration=registration, phone=phone)
        accounts.registration_save_admin(
            actor=owner, registration=registration, phone=phone, sms_code=_sms_code(phone)
        )
        session_key = f"browser-session-{counter['n']}"
        ticket = accounts.registration_request_admin_check(
            registration=registration, session_key=session_key
        )
        identity_services.ticket_confirm(identity=admin, token=ticket.token)
        accounts.registration_complete_admin_check(
            actor=owner, registration=registration, session_key=session_key
        )
        return registration

    return factory
