"""VER-3, VER-5 at the review desk: a rejection without a reason and a delay without one
are refused on the reason field of the form that was sent, in the desk's language, with
a short alert at the top of that form; nothing changes."""

from __future__ import annotations

import re

import pytest

from miniport.review.models import Review
from miniport.web.sentences import sentence
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    released,
    snapshot,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db

REJECT_ASK = {
    "en": "Pick a reason from the catalog or write one.",
    "zh-hans": "请选择常见驳回原因或填写原因。",
}
DELAY_ASK = {"en": "Write why the review is delayed.", "zh-hans": "请填写审核延期的原因。"}
LANGUAGES = pytest.mark.parametrize("lang", ["zh-hans", "en"], ids=["zh", "en"])


@pytest.fixture
def code_review(app):
    released(app, "1.0.0")
    submission = submit(app, upload(app, "2.0.0"))
    return Review.objects.get(pk=submission.review_id)


def on_field(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


def form_html(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</form>")[0]


def review_state(review) -> tuple:
    return Review.objects.filter(pk=review.pk).values_list("state", "reasons", "note").get()


@LANGUAGES
@pytest.mark.parametrize("typed", ["", "  \n "], ids=["empty", "blank"])
def test_a_rejection_without_a_reason_is_refused_on_the_reason_field(
    staff_client, code_review, lang, typed
):
    before, state = snapshot(), review_state(code_review)
    response = staff_client.post(
        f"/ops/reviews/{code_review.pk}/reject/",
        {"reason": typed, "note": "看过了"},
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert response.status_code == 400
    form = response.context["reject_form"]
    assert form.errors == {"reason": [REJECT_ASK[lang]]}
    html = response.content.decode()
    assert REJECT_ASK[lang] in on_field(html, "error-reject-reason")
    rejecting = form_html(html, "reject-form")
    assert 'data-testid="decision-error"' in rejecting and REJECT_ASK[lang] in rejecting
    assert 'value="看过了"' in rejecting
    # Said once, on the field: not in a line above both forms.
    assert html.count(REJECT_ASK[lang]) == 1
    assert snapshot() == before and review_state(code_review) == state


@LANGUAGES
@pytest.mark.parametrize("typed", ["", "   "], ids=["empty", "blank"])
def test_a_delay_without_a_reason_is_refused_on_the_reason_field(
    staff_client, code_review, lang, typed
):
    before, state = snapshot(), review_state(code_review)
    response = staff_client.post(
        f"/ops/reviews/{code_review.pk}/delay/", {"reason": typed}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 400
    assert response.context["delay_form"].errors == {"reason": [DELAY_ASK[lang]]}
    html = response.content.decode()
    assert DELAY_ASK[lang] in on_field(html, "error-delay-reason")
    assert 'data-testid="decision-error"' in form_html(html, "delay-form")
    assert 'data-testid="decision-error"' not in form_html(html, "reject-form")
    assert html.count(DELAY_ASK[lang]) == 1
    assert snapshot() == before and review_state(code_review) == state


def test_a_refusal_of_the_review_machine_stands_on_top_of_the_page(
    staff_client, code_review, second_staff
):
    """A review another reviewer claimed: the machine's refusal names no field, and the
    page offers this reviewer no decision form; it is said on top of the page."""
    second_staff.post(f"/ops/reviews/{code_review.pk}/claim/")
    before, state = snapshot(), review_state(code_review)
    response = staff_client.post(
        f"/ops/reviews/{code_review.pk}/reject/",
        {"reason": "功能不完整"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and sentence(shown[0]) in response.content.decode()
    assert not response.context["reject_form"].errors
    assert snapshot() == before and review_state(code_review) == state


@pytest.fixture
def second_staff(db):
    from django.test import Client

    from miniport.accounts.models import Account, AccountKind
    from tests.ops.conftest import PASSWORD

    other = Account.objects.create_user(
        "second@miniport.example", PASSWORD, is_staff=True, is_active=True, kind=AccountKind.STAFF
    )
    browser = Client()
    browser.force_login(other)
    return browser
