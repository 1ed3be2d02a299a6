"""REG-4: country/region, then one of six subject types, each with its explanation and
its own fields; the personal subject is for mainland China only."""

import pytest

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft, SubjectType, VerificationMethod
from miniport.accounts.subject_types import COUNTRIES, MAINLAND, SUBJECT_TYPES
from miniport.core.errors import CoreError, PlatformError
from tests.accounts.conftest import subject_data

ORGANIZATIONS = [t for t in SubjectType.values if t != SubjectType.PERSONAL]


def save(walk, data):
    return services.registration_save_subject(
        actor=walk.actor, registration=walk.registration, data=data
    )


def refused(walk, snapshot, data, code, field):
    before = snapshot(walk)
    with pytest.raises(PlatformError) as caught:
        save(walk, data)
    assert caught.value.code == code
    assert caught.value.field == field
    assert snapshot(walk) == before


def test_six_subject_types_are_offered_each_with_an_explanation():
    """REG-4: personal, enterprise, individual business, government, media, other organization."""
    assert set(SUBJECT_TYPES) == set(SubjectType.values)
    assert len(SUBJECT_TYPES) == 6
    for spec in SUBJECT_TYPES.values():
        assert str(spec.explanation).strip()
        assert str(spec.capabilities).strip()
        assert spec.methods


def test_each_subject_type_has_its_own_fields():
    """REG-4: the personal subject asks for the ID card; organizations for name and code,
    labelled for their kind."""
    personal = SUBJECT_TYPES[SubjectType.PERSONAL]
    assert [f.key for f in personal.fields] == ["name", "id_number"]
    for subject_type in ORGANIZATIONS:
        assert [f.key for f in SUBJECT_TYPES[subject_type].fields] == ["name", "credit_code"]
    name_labels = {str(SUBJECT_TYPES[t].fields[0].label) for t in SubjectType.values}
    assert len(name_labels) == 6


def test_mainland_china_is_offered_among_other_countries_and_regions():
    """REG-4: the form starts with the country or region."""
    assert MAINLAND == "CN" and "CN" in COUNTRIES
    assert len(COUNTRIES) > 1


@pytest.mark.parametrize("subject_type", SubjectType.values)
def test_each_subject_type_is_saved_with_its_fields(drive, subject_type):
    """REG-4: a complete form of any type is kept as the draft."""
    walk = drive("activated", subject_type=subject_type)
    save(walk, walk.data)
    draft = Draft.objects.get(registration=walk.registration)
    assert draft.data["subject_type"] == subject_type
    assert draft.data["name"] == walk.data["name"]
    if subject_type == SubjectType.PERSONAL:
        assert draft.data["id_number"] == walk.admin.id_number
        assert draft.data["verification_method"] == VerificationMethod.NONE
    else:
        assert draft.data["credit_code"] == walk.data["credit_code"]
        assert draft.data["verification_method"] == walk.data["verification_method"]


@pytest.mark.parametrize("country", ["HK", "MO", "TW", "US", "OTHER"])
def test_a_personal_subject_outside_mainland_china_is_refused(drive, snapshot, country):
    """REG-4 / REG-5: personal subjects need a mainland identity."""
    walk = drive("activated")
    refused(
        walk,
        snapshot,
        subject_data("personal", walk.admin, country=country),
        AccountError.COUNTRY_NOT_SUPPORTED,
        "country",
    )


def test_a_missing_country_is_refused(drive, snapshot):
    """REG-4: the country or region comes first."""
    walk = drive("activated")
    refused(
        walk,
        snapshot,
        subject_data("personal", walk.admin, country=""),
        CoreError.FIELD_REQUIRED,
        "country",
    )


def test_an_unknown_country_is_refused(drive, snapshot):
    """REG-4: only listed countries and regions."""
    walk = drive("activated")
    refused(
        walk,
        snapshot,
        subject_data("personal", walk.admin, country="XX"),
        CoreError.FIELD_INVALID,
        "country",
    )


@pytest.mark.parametrize("subject_type", ["", "company", "PERSONAL", None])
def test_an_unknown_subject_type_is_refused(drive, snapshot, subject_type):
    """REG-4: one of the six types."""
    walk = drive("activated")
    refused(
        walk,
        snapshot,
        {**walk.data, "subject_type": subject_type},
        AccountError.SUBJECT_TYPE_INVALID,
        "subject_type",
    )


@pytest.mark.parametrize("subject_type", SubjectType.values)
def test_a_subject_without_a_name_is_refused(drive, snapshot, subject_type):
    """REG-4: every type names its subject."""
    walk = drive("activated", subject_type=subject_type)
    refused(walk, snapshot, {**walk.data, "name": "  "}, CoreError.FIELD_REQUIRED, "name")


def test_a_personal_name_longer_than_an_id_card_name_is_refused(drive, snapshot):
    """REG-4: the name on the ID card fits its field."""
    walk = drive("activated")
    refused(walk, snapshot, {**walk.data, "name": "张" * 65}, CoreError.FIELD_INVALID, "name")


def test_a_name_with_the_separator_dot_is_kept_as_typed(drive, make_identity):
    """REG-4: names such as 阿卜杜·热合曼 keep their separator."""
    admin = make_identity(real_name="阿卜杜·热合曼")
    walk = drive("subject", admin=admin)
    assert Draft.objects.get(registration=walk.registration).data["name"] == "阿卜杜·热合曼"


@pytest.mark.parametrize("subject_type", ORGANIZATIONS)
def test_an_organization_without_its_code_is_refused(drive, snapshot, subject_type):
    """REG-4: organizations give their unified social credit code."""
    walk = drive("activated", subject_type=subject_type)
    refused(
        walk, snapshot, {**walk.data, "credit_code": ""}, CoreError.FIELD_REQUIRED, "credit_code"
    )


@pytest.mark.parametrize(
    "code", ["12345", "91440300MA5FXK2L8", "91440300MA5FXK2LOT", "9144030OMA5FXK2L8T"]
)
def test_a_malformed_credit_code_is_refused_in_mainland_china(drive, snapshot, code):
    """REG-4: 18 characters of digits and capitals without I, O, Z, S, V."""
    walk = drive("activated", subject_type="enterprise")
    refused(
        walk, snapshot, {**walk.data, "credit_code": code}, CoreError.FIELD_INVALID, "credit_code"
    )


def test_a_credit_code_in_lower_case_is_stored_in_capitals(drive):
    """REG-4: the code is case-insensitive as typed."""
    walk = drive("activated", subject_type="enterprise")
    save(walk, {**walk.data, "credit_code": "91440300ma5fxk2l8t"})
    assert (
        Draft.objects.get(registration=walk.registration).data["credit_code"]
        == "91440300MA5FXK2L8T"
    )


def test_an_individual_business_may_give_its_fifteen_digit_registration_number(drive, snapshot):
    """REG-4: individual businesses registered before the unified code; enterprises may not."""
    walk = drive("activated", subject_type="individual_business")
    save(walk, {**walk.data, "credit_code": "440301600123456"})
    enterprise = drive("activated", subject_type="enterprise")
    refused(
        enterprise,
        snapshot,
        {**enterprise.data, "credit_code": "440301600123456"},
        CoreError.FIELD_INVALID,
        "credit_code",
    )


def test_an_organization_outside_mainland_china_must_certify(drive, snapshot):
    """REG-4 / REG-6: a foreign enterprise cannot remit to the mainland account."""
    walk = drive("activated", subject_type="enterprise")
    foreign = {**walk.data, "country": "SG", "credit_code": "201912345K"}
    refused(
        walk, snapshot, foreign, AccountError.VERIFICATION_METHOD_NOT_ALLOWED, "verification_method"
    )
    save(walk, {**foreign, "verification_method": VerificationMethod.CERTIFICATION})
    assert Draft.objects.get(registration=walk.registration).data["country"] == "SG"


def test_choosing_another_subject_type_clears_the_administrator_check(drive):
    """REG-4: a scan confirmed one subject's administrator, not another's."""
    walk = drive("checked")
    save(walk, subject_data("enterprise"))
    draft = Draft.objects.get(registration=walk.registration)
    assert (
        draft.admin_identity is None
        and draft.phone_verified == ""
        and draft.admin_check_ticket == ""
    )
    assert "admin_phone" not in draft.data


@pytest.mark.parametrize("subject_type", ["personal", "enterprise"])
def test_saving_the_same_subject_again_keeps_the_administrator_check(drive, subject_type):
    """REG-4: correcting a detail of an organization (or re-saving the same person) keeps
    the verified phone and the scan."""
    walk = drive("checked", subject_type=subject_type)
    data = dict(walk.data)
    if subject_type == "enterprise":
        data["name"] = "深圳迷你港网络科技有限公司"
    save(walk, data)
    draft = Draft.objects.get(registration=walk.registration)
    assert draft.admin_identity == walk.admin
    assert draft.phone_verified == walk.phone
    assert draft.data["admin_phone"] == walk.phone
