"""REG-9: the confirmation warns, and after it no page changes the subject."""

from __future__ import annotations

import pytest

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft, SmsCode, Subject
from miniport.identities.models import QrTicket
from miniport.miniprograms.models import MiniProgram
from tests.console.conftest import id_number

pytestmark = pytest.mark.django_db

SUBJECT_FIELDS = (
    "subject_type",
    "name",
    "id_number",
    "credit_code",
    "country",
    "verification_method",
    "admin_name",
    "admin_id_number",
    "admin_phone",
    "admin_identity_id",
    "confirmed_at",
)


def snapshot(account) -> dict:
    subject = Subject.objects.get(registration__account=account)
    return {field: getattr(subject, field) for field in SUBJECT_FIELDS}


def test_the_confirmation_page_warns_and_masks_the_id_number(ready_to_confirm):
    """REG-9: a clear warning that the subject can never change afterwards."""
    page = ready_to_confirm.client.get("/register/confirm/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="immutable-warning"' in html
    assert id_number() not in html
    assert id_number()[-4:] in html


def test_confirming_without_ticking_the_box_changes_nothing(ready_to_confirm):
    response = ready_to_confirm.client.post("/register/confirm/", {})
    assert response.status_code == 200
    assert response.context["form"].errors["understood"]
    assert not Subject.objects.exists()
    assert not MiniProgram.objects.exists()
    assert Draft.objects.filter(registration__account=ready_to_confirm.account).exists()


@pytest.fixture
def confirmed(ready_to_confirm):
    assert ready_to_confirm.confirm().status_code == 302
    return ready_to_confirm


def test_after_confirmation_no_step_offers_editing(confirmed):
    """REG-9: the pages of earlier steps no longer show forms."""
    for path in ("/register/info/", "/register/admin/", "/register/confirm/"):
        response = confirmed.client.get(path)
        assert response.status_code == 302, path
        assert response.url in ("/register/status/", "/"), path


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "/register/info/",
            {
                "country": "CN",
                "subject_type": "personal",
                "name": "李四",
                "id_number": id_number(777),
            },
        ),
        ("/register/info/", {}),
        ("/register/sms/", {"phone": "13900139000"}),
        ("/register/admin/", {"phone": "13900139000", "sms_code": "123456"}),
        ("/register/admin/check/", {}),
        ("/register/confirm/", {"understood": "on"}),
        ("/register/confirm/", {}),
    ],
)
def test_posts_to_earlier_steps_are_refused_as_immutable(confirmed, path, data):
    """REG-9: after confirmation the subject is immutable; every step says so."""
    before = snapshot(confirmed.account)
    sms_before = SmsCode.objects.count()
    tickets_before = QrTicket.objects.count()
    response = confirmed.client.post(path, data)
    assert response.status_code == 409
    assert AccountError.SUBJECT_IMMUTABLE.message("zh-hans") in response.content.decode()
    assert snapshot(confirmed.account) == before
    assert SmsCode.objects.count() == sms_before
    assert QrTicket.objects.count() == tickets_before
    assert not Draft.objects.filter(registration__account=confirmed.account).exists()
    assert MiniProgram.objects.count() == 1
