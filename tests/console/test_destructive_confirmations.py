"""B-5, B-10, INF-6 in the console: rolling back to an earlier version, cancelling a
running gray release, revoking an upload key and deleting a service category each ask
first. The list's button leads to a confirmation page (GET) naming what goes and what
follows, which changes nothing; its button does the action (POST, unchanged). When the
action cannot be done now, the page shows the refusal and no button; the confirmation
is gated like its action."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus, MiniProgramCategory, UploadKey
from miniport.miniprograms.services import upload_keys as keys
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release
from miniport.web.sentences import sentence
from tests.console.versions_support import admin_fixture, browser  # noqa: F401
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approved_version,
    released,
    snapshot,
)

pytestmark = pytest.mark.django_db

ROLLBACK_CONFIRM = reverse("console:versions_rollback_confirm")
GRAY_CANCEL = reverse("console:versions_gray_cancel")


def key_of(app, name: str = "GitLab CI") -> UploadKey:
    return keys.upload_key_create(actor=app.admin_actor, miniprogram=app.miniprogram, name=name)[0]


def keys_state() -> list:
    return sorted(UploadKey.objects.values_list("pk", "revoked_at"))


def categories_state() -> list:
    return sorted(MiniProgramCategory.objects.values_list("pk", "status"))


# --- rollback (B-5) --------------------------------------------------------------------


def test_the_rollback_button_leads_to_a_confirmation_that_changes_nothing(app, admin):
    """The list's button opens a page naming the version going back online and the one it
    replaces, and that every user gets it at once; only its own button rolls back."""
    first = released(app, "1.0.0")
    released(app, "1.0.1")
    html = admin.get("/versions/rollback/").content.decode()
    assert f'href="{ROLLBACK_CONFIRM}?release={first.pk}" data-testid="rollback-{first.pk}"' in html
    before = snapshot()
    page = admin.get(f"{ROLLBACK_CONFIRM}?release={first.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="rollback-target">1.0.0' in html
    assert "Version 1.0.1, online since" in html
    assert "replaces the online version for every user at once" in html
    assert 'action="/versions/rollback/"' in html
    assert f'name="release" value="{first.pk}"' in html
    assert 'data-testid="rollback-confirm"' in html
    assert snapshot() == before
    response = admin.post("/versions/rollback/", {"release": first.pk})
    assert response.status_code == 302
    assert Release.objects.get(state="current").dev_version.user_version == "1.0.0"


@pytest.mark.parametrize("what", ["online", "forged", "gray", "again", "public beta"])
def test_the_rollback_confirmation_says_why_it_cannot_be_done(app, admin, what):
    """The page shows the refusal the rollback would get, and no button."""
    first, second = released(app, "1.0.0"), released(app, "1.0.1")
    target, code, params = first.pk, ReleaseError.ROLLBACK_FORBIDDEN, {"limit": 5}
    if what == "online":
        target = second.pk
    elif what == "forged":
        target = "x"
    elif what == "gray":
        approved_version(app, "1.1.0")
        admin.post("/versions/gray/", {"percentage": "10"})
        code, params = ReleaseError.ROLLBACK_GRAY_RUNNING, {}
    elif what == "again":
        admin.post("/versions/rollback/", {"release": first.pk})
        target = second.pk
        code, params = ReleaseError.ROLLBACK_OF_A_ROLLBACK, {}
    else:
        PolicyOverride.objects.create(key="release.public_beta", value=1)
        policy.forget_cached()
        code, params = ReleaseError.PUBLIC_BETA, {}
    before = snapshot()
    response = admin.get(f"{ROLLBACK_CONFIRM}?release={target}")
    assert response.status_code == 409
    html = response.content.decode()
    assert sentence(code.message("en", **params)) in html
    assert 'data-testid="rollback-confirm"' not in html
    assert snapshot() == before


def test_only_the_administrator_opens_the_rollback_confirmation(app):
    first, _second = released(app, "1.0.0"), released(app, "1.0.1")
    developer = browser(app.developer)
    assert developer.get(f"{ROLLBACK_CONFIRM}?release={first.pk}").status_code == 403


# --- cancelling a gray release (B-5) -----------------------------------------------------


def test_the_gray_cancel_button_leads_to_a_confirmation_that_changes_nothing(app, admin):
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    admin.post("/versions/gray/", {"percentage": "10"})
    html = admin.get("/versions/").content.decode()
    assert f'href="{GRAY_CANCEL}" data-testid="gray-cancel"' in html
    before = snapshot()
    page = admin.get(GRAY_CANCEL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Version 1.1.0, reaching 10% of users" in html
    assert "Version 1.0.0, online since" in html
    assert "stays approved" in html and 'data-testid="gray-cancel-confirm"' in html
    assert snapshot() == before
    assert admin.post(GRAY_CANCEL).status_code == 302
    assert not Release.objects.filter(state="gray").exists()


def test_the_gray_cancel_confirmation_says_no_gray_release_runs(app, admin):
    released(app, "1.0.0")
    response = admin.get(GRAY_CANCEL)
    assert response.status_code == 409
    html = response.content.decode()
    assert sentence(ReleaseError.GRAY_NOT_RUNNING.message("en")) in html
    assert 'data-testid="gray-cancel-confirm"' not in html


def test_only_the_administrator_opens_the_gray_cancel_confirmation(app):
    assert browser(app.developer).get(GRAY_CANCEL).status_code == 403


# --- revoking an upload key (B-10) -------------------------------------------------------


def test_the_revoke_button_leads_to_a_confirmation_that_changes_nothing(app, admin):
    key = key_of(app)
    url = reverse("console:upload_key_revoke", kwargs={"pk": key.pk})
    html = admin.get(reverse("console:upload_keys")).content.decode()
    assert f'href="{url}" data-testid="upload-key-revoke"' in html
    before = keys_state()
    page = admin.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="revoke-key-name">GitLab CI' in html and key.fingerprint in html
    assert "every upload signed with it is refused" in html
    assert 'data-testid="revoke-confirm"' in html
    assert keys_state() == before
    assert admin.post(url).status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_revoke_confirmation_of_a_revoked_key_says_so(app, admin):
    key = key_of(app)
    keys.upload_key_revoke(actor=app.admin_actor, key=key)
    response = admin.get(reverse("console:upload_key_revoke", kwargs={"pk": key.pk}))
    assert response.status_code == 409
    html = response.content.decode()
    assert "The upload key GitLab CI is already revoked." in html
    assert 'data-testid="revoke-confirm"' not in html


def test_only_the_administrator_opens_the_revoke_confirmation(app):
    key = key_of(app)
    url = reverse("console:upload_key_revoke", kwargs={"pk": key.pk})
    assert browser(app.developer).get(url).status_code in (403, 404)
    assert keys_state() == [(key.pk, None)]


# --- deleting a service category (INF-6) -------------------------------------------------


def test_the_delete_button_leads_to_a_confirmation_that_changes_nothing(app, admin):
    row = app.miniprogram.categories.get()
    url = reverse("console:basic_category_delete", kwargs={"pk": row.pk})
    html = admin.get(reverse("console:basic_categories")).content.decode()
    assert f'href="{url}" data-testid="delete-category"' in html
    before = categories_state()
    page = admin.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="delete-category-name">' in html
    assert "does not give back the addition it used" in html
    assert 'data-testid="delete-left">' in html and 'data-testid="delete-confirm"' in html
    assert categories_state() == before
    assert admin.post(url).status_code == 302
    assert not app.miniprogram.categories.exists()


def test_the_delete_confirmation_of_a_category_under_review_says_why(app, admin):
    row = app.miniprogram.categories.get()
    MiniProgramCategory.objects.filter(pk=row.pk).update(status=CategoryStatus.PENDING)
    response = admin.get(reverse("console:basic_category_delete", kwargs={"pk": row.pk}))
    assert response.status_code == 409
    html = response.content.decode()
    assert sentence(MiniProgramError.CATEGORY_UNDER_REVIEW.message("en")) in html
    assert 'data-testid="delete-confirm"' not in html
    assert app.miniprogram.categories.count() == 1


def test_only_a_member_who_edits_categories_opens_the_delete_confirmation(app):
    row = app.miniprogram.categories.get()
    url = reverse("console:basic_category_delete", kwargs={"pk": row.pk})
    assert browser(app.developer).get(url).status_code in (403, 404)
    assert app.miniprogram.categories.count() == 1


# --- both languages ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_confirmation_pages_speak_one_language(app, language):
    from tests.i18n.test_one_language_per_page import offending

    first = released(app, "1.0.0")
    released(app, "1.0.1")
    key = key_of(app)
    row = app.miniprogram.categories.get()
    client = browser(app.admin, language)
    values = {app.miniprogram.name, app.appid, app.admin.wechat_id, "GitLab CI", key.fingerprint}
    values |= set(Release.objects.values_list("dev_version__user_desc", flat=True))
    values |= set(Release.objects.values_list("released_by_label", flat=True))
    values |= {key.created_by}
    pages = [
        f"{ROLLBACK_CONFIRM}?release={first.pk}",
        reverse("console:upload_key_revoke", kwargs={"pk": key.pk}),
        reverse("console:basic_category_delete", kwargs={"pk": row.pk}),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        assert offending(html, language, values) == [], url
    approved_version(app, "1.1.0")
    client.post("/versions/gray/", {"percentage": "10"})
    values |= set(Release.objects.values_list("dev_version__user_desc", flat=True))
    response = client.get(GRAY_CANCEL)
    assert response.status_code == 200
    assert offending(response.content.decode(), language, values) == []
