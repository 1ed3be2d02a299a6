"""REG-4: the subject form names every required field left empty in one answer, not only
the first the service stops at, in both languages, and stores nothing."""

from __future__ import annotations

import pytest

from miniport.accounts.models import Draft
from miniport.core.errors import CoreError
from miniport.web.sentences import sentence
from tests.console.conftest import ORG_NAME, PERSON_NAME, en_client, id_number, zh_client

pytestmark = pytest.mark.django_db

LANGUAGES = [(zh_client, "zh-hans"), (en_client, "en")]


def activated(journey, make_client):
    trip = journey("subject@example.com", client=make_client())
    trip.register()
    trip.activate()
    return trip


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def no_draft(trip) -> bool:
    draft = Draft.objects.filter(registration__account=trip.account).first()
    return draft is None or not draft.data


@pytest.mark.parametrize(("make_client", "lang"), LANGUAGES, ids=["zh", "en"])
def test_an_empty_personal_subject_names_both_the_id_name_and_the_id_number(
    journey, make_client, lang
):
    trip = activated(journey, make_client)
    response = trip.client.post(
        "/register/info/",
        {"country": "CN", "subject_type": "personal", "name": "", "id_number": ""},
    )
    assert response.status_code == 200
    required = CoreError.FIELD_REQUIRED.message(lang)
    assert errors_of(response) == {"name": [required], "id_number": [required]}
    html = response.content.decode()
    assert html.count(sentence(required)) >= 2
    assert no_draft(trip)


def test_an_empty_id_number_beside_a_name_is_named_alone(journey):
    trip = activated(journey, zh_client)
    response = trip.client.post(
        "/register/info/",
        {"country": "CN", "subject_type": "personal", "name": PERSON_NAME, "id_number": ""},
    )
    assert errors_of(response) == {"id_number": [CoreError.FIELD_REQUIRED.message("zh-hans")]}
    assert no_draft(trip)


def test_an_empty_name_beside_an_id_number_is_named_alone(journey):
    trip = activated(journey, zh_client)
    response = trip.client.post(
        "/register/info/",
        {"country": "CN", "subject_type": "personal", "name": "", "id_number": id_number()},
    )
    assert errors_of(response) == {"name": [CoreError.FIELD_REQUIRED.message("zh-hans")]}
    assert no_draft(trip)


@pytest.mark.parametrize(("make_client", "lang"), LANGUAGES, ids=["zh", "en"])
def test_an_empty_organization_subject_names_every_field(journey, make_client, lang):
    trip = activated(journey, make_client)
    response = trip.client.post("/register/info/", {"country": "CN", "subject_type": "enterprise"})
    required = CoreError.FIELD_REQUIRED.message(lang)
    assert errors_of(response) == {
        "name": [required],
        "credit_code": [required],
        "verification_method": [required],
    }
    assert no_draft(trip)


def test_a_named_organization_without_code_or_method_names_both(journey):
    trip = activated(journey, zh_client)
    response = trip.client.post(
        "/register/info/", {"country": "CN", "subject_type": "enterprise", "name": ORG_NAME}
    )
    required = CoreError.FIELD_REQUIRED.message("zh-hans")
    assert errors_of(response) == {"credit_code": [required], "verification_method": [required]}
    assert no_draft(trip)
