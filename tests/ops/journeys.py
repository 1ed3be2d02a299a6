"""Registrations driven through the real services, up to the state a test needs.

Nothing is written behind the services' backs: the account is registered and
activated from its mail, the administrator's phone is verified with the code the SMS
backend wrote, and the administrator's identity confirms the QR check.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

from django.core import mail

from miniport.accounts import services as accounts
from miniport.accounts.models import Registration
from miniport.core import sms
from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.identities import services as identities
from miniport.miniprograms import services as miniprograms

PASSWORD = "Passw0rd!"
_numbers = itertools.count(1)


def _activation_token(email: str) -> str:
    for message in reversed(mail.outbox):
        if email in message.to:
            found = re.search(r"/register/activate/([^/\s]+)/", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no activation mail to {email}")


def _sms_code(phone: str) -> str:
    texts = [m["text"] for m in sms.messages_to(phone)]
    assert texts, f"no SMS to {phone}"
    return re.search(r"(\d{4,8})", texts[-1]).group(1)


def credit_code(n: int) -> str:
    return f"91440300{n:010d}"


def confirmed_registration(
    *,
    subject_type: str = "enterprise",
    method: str = "remittance",
    name: str | None = None,
    admin_name: str = "李四",
    admin_born: date = date(1988, 3, 9),
    admin_id_number: str | None = None,
    phone: str | None = None,
) -> Registration:
    """A registration confirmed through every step (REG-1..REG-9), now waiting for its
    remittance or certification (or active, for a personal subject)."""
    n = next(_numbers)
    email = f"registrant{n}@example.com"
    accounts.account_register(
        email=email, password=PASSWORD, password_confirm=PASSWORD, agreed=True
    )
    account = accounts.account_activate(token=_activation_token(email))
    registration = account.registration
    actor = Actor.for_account(account)

    id_number = admin_id_number or make_id_number(admin_born, region="440305", sequence=n % 1000)
    phone = phone or f"139{n:08d}"
    identity = identities.identity_create(
        actor=Actor.system("tests"),
        wechat_id=f"admin_{n:05d}",
        real_name=admin_name,
        id_number=id_number,
        phone=phone,
    )
    if subject_type == "personal":
        data = {
            "country": "CN",
            "subject_type": "personal",
            "name": admin_name,
            "id_number": id_number,
        }
    else:
        data = {
            "country": "CN",
            "subject_type": subject_type,
            "name": name or f"深圳测试科技有限公司{n}",
            "credit_code": credit_code(n),
            "verification_method": method,
        }
    accounts.registration_save_subject(actor=actor, registration=registration, data=data)
    accounts.registration_send_sms(actor=actor, registration=registration, phone=phone)
    accounts.registration_save_admin(
        actor=actor,
        registration=registration,
        admin_name=admin_name,
        admin_id_number=id_number,
        phone=phone,
        sms_code=_sms_code(phone),
    )
    session_key = f"browser-session-{n}"
    ticket = accounts.registration_request_admin_check(
        registration=registration, session_key=session_key
    )
    identities.ticket_confirm(identity=identity, token=ticket.token)
    accounts.registration_complete_admin_check(
        actor=actor, registration=registration, session_key=session_key
    )
    miniprograms.registration_confirm(actor=actor, registration=registration)
    registration.refresh_from_db()
    return registration


def statement_csv(*lines: tuple[str, str, str, str]) -> bytes:
    rows = ["date,payer account name,amount,reference"] + [",".join(line) for line in lines]
    return ("\n".join(rows) + "\n").encode()
