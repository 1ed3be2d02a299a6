"""REG-4 / REG-6 / REG-7: country/region, subject type and the type's own fields."""

from __future__ import annotations

from datetime import date

import pytest

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft
from miniport.accounts.subject_types import SUBJECT_TYPES
from miniport.core.errors import CoreError
from miniport.identities.errors import IdentityError
from tests.console.conftest import CREDIT_CODE, ORG_NAME, draft_of, en_client, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def activated(journey):
    trip = journey("info@example.com")
    trip.register()
    trip.activate()
    return trip


def form_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def no_draft(trip) -> bool:
    draft = Draft.objects.filter(registration__account=trip.account).first()
    return draft is None or not draft.data


def test_all_six_subject_types_are_offered_with_their_explanations(journey):
    """REG-4: personal, enterprise, individual business, government, media, other organization."""
    trip = journey("six@example.com", client=en_client())
    trip.register()
    trip.activate()
    html = trip.client.get("/register/info/").content.decode()
    for value, spec in SUBJECT_TYPES.items():
        assert f'name="subject_type" value="{value}"' in html
        assert str(spec.explanation) in html
    assert 'name="country"' in html and 'value="CN" selected' in html
    assert 'data-testid="subject-form"' not in html


def test_personal_type_asks_for_the_id_card_name_and_number(activated):
    """REG-4 / REG-5: the personal subject's own fields."""
    html = activated.client.get("/register/info/?subject_type=personal&country=CN").content.decode()
    assert 'name="name"' in html and 'name="id_number"' in html
    assert 'name="credit_code"' not in html and 'name="verification_method"' not in html


@pytest.mark.parametrize("subject_type", ["enterprise", "individual_business"])
def test_enterprises_choose_remittance_or_certification_with_its_fee(activated, subject_type):
    """REG-6: corporate remittance, or certification with the 300 CNY fee."""
    html = activated.client.get(f"/register/info/?subject_type={subject_type}").content.decode()
    assert 'name="credit_code"' in html
    assert 'value="remittance"' in html and 'value="certification"' in html
    assert "300.00" in html


@pytest.mark.parametrize("subject_type", ["government", "media", "other"])
def test_government_media_and_other_organizations_are_offered_certification_only(
    activated, subject_type
):
    """REG-7: certification is the only way for these types."""
    html = activated.client.get(f"/register/info/?subject_type={subject_type}").content.decode()
    assert 'value="certification"' in html
    assert 'value="remittance"' not in html
    assert 'data-testid="certification-only"' in html


def test_remittance_is_refused_for_a_government_and_nothing_is_stored(activated):
    """REG-7: a government cannot choose the remittance."""
    response = activated.save_organization_subject("government", "remittance")
    assert response.status_code == 200
    assert form_errors(response, "verification_method") == [
        AccountError.VERIFICATION_METHOD_NOT_ALLOWED.message("zh-hans")
    ]
    assert no_draft(activated)


def test_organizations_outside_mainland_china_certify(activated):
    """REG-6: the remittance goes to a mainland account; elsewhere certification only."""
    html = activated.client.get(
        "/register/info/?subject_type=enterprise&country=HK"
    ).content.decode()
    assert 'value="remittance"' not in html
    response = activated.save_organization_subject("enterprise", "remittance", country="HK")
    assert form_errors(response, "verification_method")
    assert no_draft(activated)


def test_a_personal_subject_needs_a_mainland_identity(activated):
    """REG-5: adults with mainland identity only."""
    response = activated.client.post(
        "/register/info/",
        {"country": "HK", "subject_type": "personal", "name": "张三", "id_number": id_number()},
    )
    assert response.status_code == 200
    assert response.context["selection_error"] == AccountError.COUNTRY_NOT_SUPPORTED.message(
        "zh-hans"
    )
    assert no_draft(activated)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (id_number()[:-1] + ("0" if id_number()[-1] != "0" else "1"), CoreError.ID_NUMBER_INVALID),
        ("12345", CoreError.ID_NUMBER_INVALID),
        (
            id_number(born=date.today().replace(year=date.today().year - 10)),
            IdentityError.IDENTITY_UNDERAGE,
        ),
    ],
)
def test_the_id_number_is_validated_on_its_field(activated, number, code):
    """REG-5: ID number checked (checksum, adult)."""
    response = activated.save_personal_subject(number=number)
    assert response.status_code == 200
    assert form_errors(response, "id_number") == [code.message("zh-hans", age=18)]
    assert no_draft(activated)


def test_missing_fields_are_named(activated):
    response = activated.client.post(
        "/register/info/", {"country": "CN", "subject_type": "enterprise", "name": ORG_NAME}
    )
    assert form_errors(response, "credit_code") == [CoreError.FIELD_REQUIRED.message("zh-hans")]
    assert no_draft(activated)


def test_a_saved_subject_continues_to_the_administrator_step(activated):
    """REG-4: the subject is kept in the draft until the final confirmation."""
    response = activated.save_organization_subject("enterprise", "remittance")
    assert response.status_code == 302 and response.url == "/register/admin/"
    data = draft_of(activated.account).data
    assert data["subject_type"] == "enterprise" and data["credit_code"] == CREDIT_CODE
    assert data["verification_method"] == "remittance"
    page = activated.client.get("/register/info/").content.decode()
    assert f'value="{ORG_NAME}"' in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"subject_type": "alien", "country": "CN"},
        {"subject_type": "personal", "country": "XX", "name": "n" * 5000},
        {"subject_type": ["personal", "media"], "country": ["CN"], "id_number": "\x00"},
    ],
)
def test_garbage_is_refused_without_errors_or_storage(activated, data):
    response = activated.client.post("/register/info/", data)
    assert response.status_code == 200
    assert no_draft(activated)


def test_garbage_in_the_selection_shows_the_choice_again(activated):
    response = activated.client.get("/register/info/?subject_type=<script>&country=%00")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_visitors_are_sent_to_log_in(db):
    response = en_client().get("/register/info/")
    assert response.status_code == 302 and response.url == "/login/"
    response = en_client().post("/register/info/", {"subject_type": "personal"})
    assert response.status_code == 302 and response.url == "/login/"
