"""INF-2 / INF-3 / INF-5: the console's edit forms take their longest values from the
policy table (operators' overrides included); over-long input is refused, never cut
short — the operators' rejection reasons too."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.services import policy_set_override
from miniport.miniprograms.models import PendingName
from miniport.miniprograms.services import profile
from miniport.review.models import ReviewState
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    console_login,
    personal_app_fixture,
    snapshot,
    staff_actor_fixture,
)

FIELDS = [
    ("name", "name.max_length"),
    ("short_name", "short_name.max_length"),
    ("introduction", "introduction.max_length"),
]


def override(key: str, value: int) -> None:
    policy_set_override(actor=Actor.system("tests"), key=key, value=value)


@pytest.mark.parametrize("field,rule", FIELDS)
def test_the_edit_form_limits_the_length_the_policy_allows(client, personal_app, field, rule):
    """The form's maxlength is the policy's, and follows an override."""
    from miniport.core import policy

    console_login(client, personal_app)
    page = client.get(f"/settings/basic/edit/{field}/").content.decode()
    assert f'maxlength="{policy.value(rule)}"' in page
    override(rule, 7)
    page = client.get(f"/settings/basic/edit/{field}/").content.decode()
    assert 'maxlength="7"' in page


@pytest.mark.parametrize(
    "field,text",
    [("name", "长" * 31), ("short_name", "简" * 11), ("introduction", "介" * 121)],
)
def test_one_character_over_the_policy_is_refused_on_the_form(client, personal_app, field, text):
    """INF-2/3/5: refused on the field, nothing stored or charged."""
    console_login(client, personal_app)
    before = snapshot(personal_app)
    response = client.post(f"/settings/basic/edit/{field}/", {field: text})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert snapshot(personal_app) == before


def test_a_name_of_exactly_the_policys_length_is_accepted(client, personal_app):
    console_login(client, personal_app)
    response = client.post("/settings/basic/edit/name/", {"name": "长" * 30})
    assert response.status_code == 302
    assert PendingName.objects.get(miniprogram=personal_app).requested_name == "长" * 30


def test_an_over_long_rejection_reason_is_refused_not_cut(personal_app, staff_actor):
    """INF-2: the reviewer's reason is stored whole or not at all."""
    review = profile.name_request(
        actor=actor_of(personal_app), miniprogram=personal_app, name="等待审核的名字"
    )
    longest = profile.reason_max_length()
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        profile.name_review_reject(actor=staff_actor, review=review, reason="因" * (longest + 1))
    assert (caught.value.code, caught.value.field) == (CoreError.FIELD_INVALID, "reason")
    assert snapshot(personal_app) == before
    profile.name_review_reject(actor=staff_actor, review=review, reason="因" * longest)
    review.refresh_from_db()
    assert (review.state, review.reasons) == (ReviewState.REJECTED, ["因" * longest])


def test_the_desk_refuses_an_over_long_reason_and_says_why(client, personal_app):
    """INF-2: the desk's form has the same bound; nothing is decided."""
    from miniport.accounts.models import Account, AccountKind

    staff = Account.objects.create_user(
        "limits@miniport.example",
        "Passw0rd!",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    client.force_login(staff)
    review = profile.name_request(
        actor=actor_of(personal_app), miniprogram=personal_app, name="等待审核的名字"
    )
    page = client.get(f"/ops/reviews/{review.pk}/").content.decode()
    assert f'maxlength="{profile.reason_max_length()}"' in page
    before = snapshot(personal_app)
    response = client.post(
        f"/ops/reviews/{review.pk}/reject/",
        {"reason": "因" * (profile.reason_max_length() + 1)},
        follow=True,
    )
    assert snapshot(personal_app) == before
    assert str(profile.reason_max_length()) in response.content.decode()
