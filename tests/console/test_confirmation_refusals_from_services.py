"""B-5, INF-6: the confirmation pages before deleting a service category and cancelling a
gray release refuse exactly what the action would, because both ask the same domain
function: `ensure_category_deletable` (miniprograms) and `gray_to_cancel` (releases),
which the services call under their lock. A refusal the domain gives shows on the page
with no button, and the page changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus, MiniProgramCategory
from miniport.miniprograms.services import categories as category_services
from miniport.releases import services as release_services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Release
from miniport.web.sentences import sentence
from tests.console.versions_support import admin_fixture  # noqa: F401
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    approved_version,
    released,
    snapshot,
)

pytestmark = pytest.mark.django_db

GRAY_CANCEL = reverse("console:versions_gray_cancel")


def categories_state() -> list:
    return sorted(MiniProgramCategory.objects.values_list("pk", "status"))


def delete_url(row) -> str:
    return reverse("console:basic_category_delete", kwargs={"pk": row.pk})


# --- the domain's answers ---------------------------------------------------------------


def test_a_category_under_review_is_not_deletable(app):
    row = app.miniprogram.categories.get()
    category_services.ensure_category_deletable(app.miniprogram, row)  # approved: no refusal
    row.status = CategoryStatus.PENDING
    with pytest.raises(PlatformError) as refused:
        category_services.ensure_category_deletable(app.miniprogram, row)
    assert refused.value.code is MiniProgramError.CATEGORY_UNDER_REVIEW
    assert refused.value.field == "category"


def test_a_mini_program_whose_information_is_locked_deletes_no_category(app, monkeypatch):
    from miniport.miniprograms.services import info

    monkeypatch.setattr(info, "info_lock", lambda mp: MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED)
    row = app.miniprogram.categories.get()
    with pytest.raises(PlatformError) as refused:
        category_services.ensure_category_deletable(app.miniprogram, row)
    assert refused.value.code is MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED


def test_the_gray_release_to_cancel_is_the_running_one(app):
    released(app, "1.0.0")
    with pytest.raises(PlatformError) as refused:
        release_services.gray_to_cancel(app.miniprogram)
    assert refused.value.code is ReleaseError.GRAY_NOT_RUNNING
    approved_version(app, "1.1.0")
    gray = release_services.gray_release(
        actor=app.admin_actor, miniprogram=app.miniprogram, percentage=10
    )
    assert release_services.gray_to_cancel(app.miniprogram) == gray


# --- the pages and the actions ask the domain --------------------------------------------


def test_the_category_delete_page_and_the_delete_refuse_what_the_domain_refuses(
    app, admin, monkeypatch
):
    """Whatever the domain says against the deletion, the page shows it (409, no button)
    and the deletion itself refuses with it too."""
    row = app.miniprogram.categories.get()
    asked: list = []

    def refuse(miniprogram, category):
        asked.append(category.pk)
        raise PlatformError(MiniProgramError.CATEGORY_UNDER_REVIEW, field="category")

    monkeypatch.setattr(category_services, "ensure_category_deletable", refuse)
    before = categories_state()
    page = admin.get(delete_url(row))
    assert page.status_code == 409
    html = page.content.decode()
    assert sentence(MiniProgramError.CATEGORY_UNDER_REVIEW.message("en")) in html
    assert 'data-testid="delete-confirm"' not in html
    done = admin.post(delete_url(row), follow=True)
    assert MiniProgramError.CATEGORY_UNDER_REVIEW.message("en") in done.content.decode().lower()
    assert asked == [row.pk, row.pk]
    assert categories_state() == before


def test_the_category_delete_page_of_a_locked_mini_program_says_why(app, admin, monkeypatch):
    from miniport.miniprograms.services import info

    monkeypatch.setattr(info, "info_lock", lambda mp: MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED)
    row = app.miniprogram.categories.get()
    before = categories_state()
    page = admin.get(delete_url(row))
    assert page.status_code == 409
    html = page.content.decode()
    assert sentence(MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED.message("en")) in html
    assert 'data-testid="delete-confirm"' not in html
    assert categories_state() == before


def test_the_gray_cancel_page_and_the_cancel_refuse_what_the_domain_refuses(
    app, admin, monkeypatch
):
    released(app, "1.0.0")
    approved_version(app, "1.1.0")
    admin.post("/versions/gray/", {"percentage": "10"})
    asked: list = []

    def refuse(miniprogram):
        asked.append(miniprogram.pk)
        raise PlatformError(ReleaseError.GRAY_NOT_RUNNING)

    from miniport.releases.services import release as release_module

    monkeypatch.setattr(release_services, "gray_to_cancel", refuse)
    monkeypatch.setattr(release_module, "gray_to_cancel", refuse)
    before = snapshot()
    page = admin.get(GRAY_CANCEL)
    assert page.status_code == 409
    html = page.content.decode()
    assert sentence(ReleaseError.GRAY_NOT_RUNNING.message("en")) in html
    assert 'data-testid="gray-cancel-confirm"' not in html
    admin.post(GRAY_CANCEL)
    assert asked == [app.miniprogram.pk, app.miniprogram.pk]
    assert snapshot() == before
    assert Release.objects.filter(state="gray").exists()
