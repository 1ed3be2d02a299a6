"""VER-5 in the console: the review card of version management shows the latest
submission's progress (in review, approved, rejected, withdrawn, delayed), the rejection
reasons with the catalog's titles and guidance, and the withdraw button while the undo
limits allow it. The withdrawal is a POST through the permission table; a refusal shows
the coded message and changes nothing."""

from __future__ import annotations

import pytest

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.releases import catalog
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Submission
from miniport.web.sentences import sentence
from tests.console.versions_support import admin_fixture, browser  # noqa: F401
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approve,
    delay,
    reject,
    released,
    snapshot,
    submit,
)

pytestmark = pytest.mark.django_db


def card(client) -> str:
    response = client.get("/versions/")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('data-testid="review-card"')
    return html[start : html.index("</section>", start)]


def test_without_a_submission_the_card_says_so(app, admin):
    """VER-5 (seed 004): "no version in review, or the version was released"."""
    assert 'data-testid="review-empty"' in card(admin)


def test_a_pending_submission_shows_in_review_with_the_withdraw_button(app, admin):
    """VER-5: the review progress in the review version module."""
    submission = submit(app)
    html = card(admin)
    assert 'data-state="pending"' in html and "under review" in html
    assert submission.dev_version.user_version in html
    assert 'data-testid="withdraw"' in html and "5 withdrawals left" in html


def test_a_rejection_shows_the_catalog_title_and_guidance_and_free_text(app, admin):
    """VER-5, B-4: coded rejection reasons from the published catalog, free text as written."""
    reason = catalog.rejection_reasons()[0]
    reject(submit(app), [reason.key, "the login page is blank"])
    html = card(admin)
    assert 'data-state="rejected"' in html
    assert f'data-reason="{reason.key}"' in html
    assert reason.title("en") in html and reason.guidance("en") in html
    assert "the login page is blank" in html
    assert 'data-testid="withdraw"' not in html
    chinese = card(browser(app.admin, "zh-hans"))
    assert reason.title_zh in chinese and reason.guidance_zh in chinese


def test_a_rejection_asking_for_a_test_account_says_the_entry_opens(app, admin):
    """VER-4 as the card tells it."""
    reject(submit(app), [catalog.TEST_ACCOUNT_NEEDED])
    assert 'data-testid="test-account-open"' in card(admin)


def test_a_delayed_review_shows_its_reasons_and_may_still_be_withdrawn(app, admin):
    """VER-5: delayed is open, like in review."""
    delay(submit(app), ["waiting for a specialist"])
    html = card(admin)
    assert 'data-state="delayed"' in html and "waiting for a specialist" in html
    assert 'data-testid="withdraw"' in html


def test_an_approved_version_offers_the_release(app, admin):
    """VER-5, VER-6: approved, waiting for the administrator's release."""
    approve(submit(app))
    html = card(admin)
    assert 'data-state="approved"' in html and 'data-testid="release"' in html


def test_a_released_version_leaves_the_card_empty(app, admin):
    released(app)
    assert 'data-testid="review-empty"' in card(admin)


def test_withdrawing_takes_the_submission_back(app, admin):
    """VER-5: the withdraw (undo) button."""
    submission = submit(app)
    response = admin.post("/versions/withdraw/")
    assert response.status_code == 302 and response.url == "/versions/"
    assert Submission.objects.get(pk=submission.pk).state == "withdrawn"
    assert 'data-state="withdrawn"' in card(admin)


def test_withdrawing_with_nothing_open_shows_85019_and_changes_nothing(app, admin):
    approve(submit(app))
    before = snapshot()
    response = admin.post("/versions/withdraw/", follow=True)
    assert sentence(ReleaseError.UNDO_NOTHING_OPEN.message("en")) in response.content.decode()
    assert snapshot() == before


def test_past_the_undo_limit_the_button_goes_and_a_withdrawal_is_refused(app, admin):
    """VER-5: withdraw while the policy allows it (87013 beyond)."""
    PolicyOverride.objects.create(key="submit.undo_per_day", value=1)
    policy.forget_cached()
    first = submit(app)
    assert admin.post("/versions/withdraw/").status_code == 302
    assert Submission.objects.get(pk=first.pk).state == "withdrawn"
    submit(app)
    html = card(admin)
    assert 'data-testid="withdraw"' not in html and 'data-testid="withdraw-refused"' in html
    before = snapshot()
    response = admin.post("/versions/withdraw/", follow=True)
    assert (
        sentence(ReleaseError.UNDO_LIMIT.message("en", per_day=1, per_month=10))
        in response.content.decode()
    )
    assert snapshot() == before


def test_only_the_administrator_withdraws(app):
    """Seed 001: a developer sees the card without its button and is refused (403)."""
    submit(app)
    developer = browser(app.developer)
    assert 'data-testid="withdraw"' not in card(developer)
    before = snapshot()
    assert developer.post("/versions/withdraw/").status_code == 403
    assert snapshot() == before


def test_the_withdraw_button_leads_to_a_confirmation_that_changes_nothing(app, admin):
    """A withdrawal spends one of a few a day: the button opens a page naming the version
    and what is left; only its own button withdraws."""
    submission = submit(app)
    assert 'href="/versions/withdraw/" data-testid="withdraw"' in card(admin)
    before = snapshot()
    page = admin.get("/versions/withdraw/")
    html = page.content.decode()
    assert page.status_code == 200
    assert submission.dev_version.user_version in html
    assert 'data-testid="withdraw-left">5<' in html
    assert 'data-testid="withdraw-confirm"' in html
    assert snapshot() == before
    assert Submission.objects.get(pk=submission.pk).state == "pending"


def test_the_withdraw_confirmation_refuses_what_the_withdrawal_would(app, admin):
    approve(submit(app))
    page = admin.get("/versions/withdraw/")
    html = page.content.decode()
    assert page.status_code == 409
    assert sentence(ReleaseError.UNDO_NOTHING_OPEN.message("en")) in html
    assert 'data-testid="withdraw-confirm"' not in html
    PolicyOverride.objects.create(key="submit.undo_per_day", value=1)
    policy.forget_cached()
    assert admin.post("/versions/withdraw/").status_code == 302
    first = submit(app)
    assert admin.post("/versions/withdraw/").status_code == 302
    assert Submission.objects.get(pk=first.pk).state == "withdrawn"
    submit(app)
    refused = admin.get("/versions/withdraw/").content.decode()
    assert sentence(ReleaseError.UNDO_LIMIT.message("en", per_day=1, per_month=10)) in refused


def test_a_screenshot_of_another_mini_program_is_not_found(app, admin, provision):
    submission = submit(app)
    assert (
        admin.get("/versions/screenshot/", {"submission": submission.pk, "n": 0}).status_code == 404
    )
    assert admin.get("/versions/screenshot/", {"submission": "x", "n": 0}).status_code == 404
    other = browser(provision("personal").miniprogram.admin_identity)
    assert (
        other.get("/versions/screenshot/", {"submission": submission.pk, "n": 0}).status_code == 404
    )
