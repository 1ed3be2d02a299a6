"""issue 10 item 1: sign-up of a super-app identity (the phone pages stand in for the
super-app's own accounts): WeChat ID, password, phone with a single-use SMS code, and a
real-name check of name and ID number. Every refusal names its field and leaves
everything as it was (a wrong code only uses up one of its tries)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core import ids
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry
from miniport.core.validators import id_number_check_char, make_id_number
from miniport.identities import services, signup
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, IdentitySmsCode
from tests.identities.support import admin_ticket_for
from tests.identities.support_signup import (
    ID_NUMBER,
    PASSWORD,
    PHONE,
    fields,
    last_code,
    override,
    snapshot,
)

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=ZoneInfo("UTC"))


def send(phone: str = PHONE) -> str:
    signup.signup_send_sms(actor=Actor.anonymous(), phone=phone, ip="203.0.113.30")
    return last_code(phone)


def sign_up(**changes) -> Identity:
    given = fields(**changes)
    if "sms_code" not in given:
        given["sms_code"] = last_code(PHONE)
    return signup.identity_sign_up(actor=Actor.anonymous(), **given)


def refused(code, field, **changes) -> PlatformError:
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        sign_up(**changes)
    assert (caught.value.code, caught.value.field) == (code, field)
    assert snapshot() == before
    return caught.value


def test_a_sign_up_makes_a_real_name_verified_identity_with_its_birth_date():
    """issue 10 item 1: the name and ID number verify the identity; the birth date is read
    from the ID number; the password signs in; phone and ID number are digested."""
    send()
    identity = sign_up()
    identity.refresh_from_db()
    assert identity.wechat_id == "li_si_2026"
    assert identity.real_name_verified
    assert (identity.real_name, identity.id_number) == ("李四", ID_NUMBER)
    assert identity.birth_date == date(1990, 5, 17)
    assert identity.phone == PHONE and identity.phone_digest == ids.digest(PHONE)
    assert identity.id_number_digest == ids.digest(ID_NUMBER)
    assert services.identity_authenticate(wechat_id="li_si_2026", password=PASSWORD) == identity
    entry = AuditEntry.objects.get(action="identity.sign_up")
    assert entry.target_id == str(identity.pk)
    assert PHONE not in str(entry.after) and ID_NUMBER not in str(entry.after)


def test_the_new_identity_passes_the_administrator_check_of_a_registration(session_key):
    """issue 10 item 1: what the registration's scan asks for (REG-5 / REG-8)."""
    send()
    identity = sign_up()
    ticket = admin_ticket_for(identity, session_key)
    assert services.ticket_confirm(identity=identity, token=ticket.token).status == "confirmed"


def test_the_code_is_single_use():
    """issue 10 item 1: the sign-up consumes the code; it never serves again."""
    code = send()
    identity = sign_up(sms_code=code)
    assert IdentitySmsCode.objects.get().used_at is not None
    Identity.objects.filter(pk=identity.pk).delete()  # the phone free again
    refused(IdentityError.SMS_CODE_INVALID, "sms_code", wechat_id="another_id", sms_code=code)


def test_an_expired_code_is_refused():
    """issue 10 item 1: short-lived (signup.sms_code_ttl_seconds)."""
    with time_machine.travel(T0, tick=False):
        code = send()
    with time_machine.travel(T0 + timedelta(seconds=300), tick=False):
        refused(IdentityError.SMS_CODE_EXPIRED, "sms_code", sms_code=code)
    with time_machine.travel(T0 + timedelta(seconds=299), tick=False):
        assert sign_up(sms_code=code).real_name_verified


def test_no_code_sent_or_a_code_of_another_phone_is_refused():
    """issue 10 item 1: the code belongs to the phone it was sent to."""
    refused(IdentityError.SMS_CODE_INVALID, "sms_code", sms_code="123456")
    other = send("13900001111")
    refused(IdentityError.SMS_CODE_INVALID, "sms_code", sms_code=other)


def test_a_wrong_code_uses_up_one_try_and_stores_nothing_else():
    """issue 10 item 1: wrong entries are counted; after signup.sms_code_max_attempts even
    the right code is refused until a new one is sent."""
    override("signup.sms_code_max_attempts", 2)
    override("signup.sms_resend_interval_seconds", 0)
    code = send()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        with pytest.raises(PlatformError) as caught:
            sign_up(sms_code=wrong)
        assert caught.value.code is IdentityError.SMS_CODE_INVALID
    assert IdentitySmsCode.objects.get().attempts == 2
    assert not Identity.objects.exists()
    assert not AuditEntry.objects.filter(action="identity.sign_up").exists()
    refused(IdentityError.SMS_CODE_ATTEMPTS_EXCEEDED, "sms_code", sms_code=code)
    fresh = send()
    assert sign_up(sms_code=fresh).real_name_verified


@pytest.mark.parametrize(
    "wechat_id",
    ["abc12", "1abcdef", "_abcdef", "abc def1", "abc.def1", "a" * 21, "张三abcdef", "", None],
)
def test_a_wechat_id_outside_the_rule_is_refused(wechat_id):
    """issue 10 item 1: 6-20 letters, digits, _ or -, starting with a letter."""
    send()
    error = refused(CoreError.FIELD_INVALID, "wechat_id", wechat_id=wechat_id)
    assert "6-20" in error.message("en")


@pytest.mark.parametrize("wechat_id", ["abcdef", "a" * 20, "Zhang_san-1"])
def test_a_wechat_id_within_the_rule_is_accepted(wechat_id):
    send()
    assert sign_up(wechat_id=wechat_id).wechat_id == wechat_id


@pytest.mark.parametrize("taken_as", ["li_si_2026", "LI_SI_2026"])
def test_a_wechat_id_taken_in_any_letter_case_is_refused(make_identity, taken_as):
    """issue 10 item 1: one WeChat ID per identity."""
    make_identity(taken_as)
    send()
    refused(IdentityError.WECHAT_ID_TAKEN, "wechat_id")


def test_a_phone_bound_to_another_identity_is_refused(make_identity):
    """issue 10 item 1: one phone per identity, found by its digest (the phone is sealed)."""
    send()
    make_identity("bound_phone", phone=PHONE)
    refused(IdentityError.PHONE_TAKEN, "phone")


def test_identity_create_refuses_a_bound_phone_too(make_identity):
    """issue 10 item 1: the command line's identities keep the rule as well."""
    make_identity("first_phone", phone=PHONE)
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        make_identity("second_phone", phone="+86 138 1234 5678")
    assert (caught.value.code, caught.value.field) == (IdentityError.PHONE_TAKEN, "phone")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("password", "confirm", "code", "field"),
    [
        ("short-1", "short-1", IdentityError.PASSWORD_TOO_SHORT, "password"),
        ("", "", IdentityError.PASSWORD_TOO_SHORT, "password"),
        ("12345678901", "12345678901", IdentityError.PASSWORD_CHARSET, "password"),
        ("pass word 1", "pass word 1", IdentityError.PASSWORD_CHARSET, "password"),
        ("密码密码密码密码", "密码密码密码密码", IdentityError.PASSWORD_CHARSET, "password"),
        ("x" * 129, "x" * 129, IdentityError.PASSWORD_CHARSET, "password"),
        (PASSWORD, PASSWORD + "x", IdentityError.PASSWORD_MISMATCH, "password_confirm"),
        (PASSWORD, None, IdentityError.PASSWORD_MISMATCH, "password_confirm"),
    ],
)
def test_a_password_outside_the_rule_is_refused(password, confirm, code, field):
    """issue 10 item 1: at least signup.password_min_length letters, digits or symbols,
    not digits alone, typed twice the same."""
    send()
    refused(code, field, password=password, password_confirm=confirm)


def test_the_password_length_is_a_policy_row():
    override("signup.password_min_length", 13)
    send()
    error = refused(IdentityError.PASSWORD_TOO_SHORT, "password")
    assert "13" in error.message("en")


@pytest.mark.parametrize("name", ["", "   ", "李四1", "Li<b>", "李\x00四", "李" * 65, "a  b"])
def test_a_name_that_is_no_id_card_name_is_refused(name):
    """issue 10 item 1: the name on the ID card."""
    send()
    code = CoreError.FIELD_INVALID if not name.strip() else IdentityError.REAL_NAME_INVALID
    refused(code, "real_name", real_name=name)


@pytest.mark.parametrize("name", ["买买提·艾力", "Anna Maria", "欧阳娜娜"])
def test_names_with_separators_or_latin_letters_are_accepted(name):
    send()
    assert sign_up(real_name=name).real_name == name


def _with_check(first17: str) -> str:
    return first17 + id_number_check_char(first17)


@pytest.mark.parametrize(
    "number",
    [
        ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"),  # wrong checksum
        _with_check("11010119900230321"),  # 30 February
        _with_check("11010118890101321"),  # before 1900
        "1101011990051732",
        "",
        None,
    ],
)
def test_an_invalid_id_number_is_refused(number):
    """issue 10 item 1: GB 11643 checksum and a real birth date."""
    send()
    refused(CoreError.ID_NUMBER_INVALID, "id_number", id_number=number)


def test_an_id_number_born_in_the_future_is_refused():
    send()
    tomorrow = date.today() + timedelta(days=1)
    refused(IdentityError.BIRTH_DATE_FUTURE, "id_number", id_number=make_id_number(tomorrow))


def test_a_lower_case_check_letter_is_read_as_x():
    number = next(
        make_id_number(date(1990, 5, 17), sequence=n)
        for n in range(1000)
        if make_id_number(date(1990, 5, 17), sequence=n).endswith("X")
    )
    send()
    assert sign_up(id_number=number.lower()).id_number == number


def test_one_id_number_backs_at_most_the_policy_rows_identities(make_identity):
    """issue 10 item 1: one ID number may verify several identities (a person may keep
    more than one account), up to signup.max_identities_per_id_number."""
    override("signup.max_identities_per_id_number", 2)
    make_identity("first_account", id_number=ID_NUMBER)
    send()
    assert sign_up(wechat_id="second_account").real_name_verified
    override("signup.sms_resend_interval_seconds", 0)
    send("13900002222")
    error = refused(
        IdentityError.ID_NUMBER_QUOTA,
        "id_number",
        wechat_id="third_account",
        phone="13900002222",
        sms_code=last_code("13900002222"),
    )
    assert error.params["count"] == 2


def test_every_field_refusal_is_reported_at_once():
    """issue 10 item 1: a form shows them all, not one per try."""
    problems = signup.sign_up_problems(
        wechat_id="1x",
        password="short",
        password_confirm="short",
        phone="123",
        real_name="",
        id_number="110101",
    )
    assert [p.field for p in problems] == [
        "wechat_id",
        "password",
        "phone",
        "real_name",
        "id_number",
    ]
    good = fields()
    assert signup.sign_up_problems(**good) == []
