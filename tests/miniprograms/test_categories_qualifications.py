"""INF-6: a sensitive category needs one document per qualification its catalog entry
names, keyed by that name — in the service, over the API (`certicates` keys) and in
the console (one upload per qualification, refusals on the field they concern)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus
from miniport.miniprograms.services import categories, media
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    company_app_fixture,
    console_login,
    image_bytes,
    snapshot,
)

HEALTH = (8, 802)  # 健康管理: two qualifications
HEALTH_PAGE_KEY = "8:802"


@pytest.fixture
def needed(company_app) -> tuple[str, ...]:
    pair = catalog.catalog_for(company_app.subject).pair(*HEALTH)
    assert len(pair.second.qualifications) == 2
    return pair.second.qualifications


def upload(mp) -> str:
    return media.media_upload(
        actor=actor_of(mp), miniprogram=mp, upload=image_bytes("JPEG"), media_type="image"
    ).media_id


def add(mp, certificates):
    return categories.category_add(
        actor=actor_of(mp),
        miniprogram=mp,
        first=HEALTH[0],
        second=HEALTH[1],
        certificates=certificates,
    )


def refused(mp, certificates, code):
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        add(mp, certificates)
    assert caught.value.code == code
    assert snapshot(mp) == before
    return caught.value


def test_one_document_for_a_category_that_needs_two_is_refused(company_app, needed):
    """INF-6: 53311 naming the missing qualification; nothing added."""
    error = refused(
        company_app,
        [{"key": needed[0], "value": upload(company_app)}],
        MiniProgramError.CATEGORY_QUALIFICATION_MISSING,
    )
    assert error.errcode == 53311 and error.params["qualification"] == needed[1]


def test_a_document_under_a_name_the_category_does_not_ask_for_is_refused(company_app, needed):
    """INF-6: 53303; keys are matched against the catalog's qualification names."""
    certificates = [
        {"key": needed[0], "value": upload(company_app)},
        {"key": "随便写的资质", "value": upload(company_app)},
    ]
    error = refused(company_app, certificates, MiniProgramError.CATEGORY_QUALIFICATION_UNKNOWN)
    assert error.errcode == 53303


def test_two_documents_under_the_same_name_are_refused(company_app, needed):
    """INF-6: 53303; the second qualification is still missing."""
    media_id = upload(company_app)
    certificates = [{"key": needed[0], "value": media_id}, {"key": needed[0], "value": media_id}]
    refused(company_app, certificates, MiniProgramError.CATEGORY_INVALID)


def test_one_document_per_qualification_goes_to_review(company_app, needed):
    """INF-6: both documents are kept, in the catalog's order."""
    row = add(
        company_app,
        [{"key": name, "value": upload(company_app)} for name in reversed(needed)],
    )
    assert row.status == CategoryStatus.PENDING
    assert [item["key"] for item in row.certificates] == list(needed)
    assert all(categories.certificate_image(row, n) for n in range(2))


def test_modifying_a_rejected_category_also_needs_every_qualification(
    company_app, needed, staff_actor
):
    """INF-6: modifycategory follows the same rule."""
    row = add(company_app, [{"key": name, "value": upload(company_app)} for name in needed])
    categories.category_review_reject(actor=staff_actor, category=row, reason="缺页")
    only_the_second = [{"key": needed[1], "value": upload(company_app)}]
    before = snapshot(company_app)
    with pytest.raises(PlatformError) as caught:
        categories.category_modify(
            actor=actor_of(company_app),
            miniprogram=company_app,
            first=HEALTH[0],
            second=HEALTH[1],
            certificates=only_the_second,
        )
    assert caught.value.code == MiniProgramError.CATEGORY_QUALIFICATION_MISSING
    assert caught.value.params["qualification"] == needed[0]
    assert snapshot(company_app) == before


# --- console -----------------------------------------------------------------------


@pytest.fixture(name="staff_actor")
def staff_actor_fixture(db):
    from tests.miniprograms.profile_support import staff_reviewer

    return staff_reviewer()


def licence(name="licence.jpg"):
    return SimpleUploadedFile(name, image_bytes("JPEG", (600, 400)), content_type="image/jpeg")


def test_the_console_form_offers_one_upload_per_qualification(client, company_app, needed):
    """INF-6: choosing the category shows an upload labelled with each qualification."""
    console_login(client, company_app)
    response = client.get("/settings/basic/categories/", {"category": HEALTH_PAGE_KEY})
    form = response.context["form"]
    assert [form.fields[f"certificate_{n}"].label for n in (1, 2)] == list(needed)
    html = response.content.decode()
    assert 'name="certificate_1"' in html and 'name="certificate_2"' in html


def test_the_console_refuses_one_document_on_the_missing_qualifications_field(
    client, company_app, needed
):
    """INF-6: the refusal shows on the second upload field; nothing changes."""
    console_login(client, company_app)
    before = snapshot(company_app)
    response = client.post(
        "/settings/basic/categories/",
        {"category": HEALTH_PAGE_KEY, "shown": HEALTH_PAGE_KEY, "certificate_1": licence()},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["certificate_2"]
    assert needed[1] in errors["certificate_2"][0]
    assert snapshot(company_app) == before


def test_the_console_adds_a_category_with_one_document_per_qualification(
    client, company_app, needed
):
    """INF-6: both documents reach the review."""
    console_login(client, company_app)
    response = client.post(
        "/settings/basic/categories/",
        {
            "category": HEALTH_PAGE_KEY,
            "shown": HEALTH_PAGE_KEY,
            "certificate_1": licence("a.jpg"),
            "certificate_2": licence("b.jpg"),
        },
    )
    assert response.status_code == 302
    row = company_app.categories.get()
    assert row.status == CategoryStatus.PENDING
    assert [item["key"] for item in row.certificates] == list(needed)


def test_files_chosen_for_another_category_are_not_used(client, company_app):
    """INF-6: uploads shown for 8:802 are not taken as 8:801's documents."""
    console_login(client, company_app)
    before = snapshot(company_app)
    response = client.post(
        "/settings/basic/categories/",
        {"category": "8:801", "shown": HEALTH_PAGE_KEY, "certificate_1": licence()},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["certificate_1"]
    assert snapshot(company_app) == before


def test_a_damaged_document_is_refused_on_its_own_field(client, company_app):
    """INF-6: the image refusal names the field of that qualification."""
    console_login(client, company_app)
    broken = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    before = snapshot(company_app)
    response = client.post(
        "/settings/basic/categories/",
        {"category": HEALTH_PAGE_KEY, "shown": HEALTH_PAGE_KEY, "certificate_2": broken},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["certificate_2"]
    assert snapshot(company_app) == before


def test_the_console_replaces_every_document_of_a_rejected_category(
    client, company_app, needed, staff_actor
):
    """INF-6: the replace page offers one upload per qualification too."""
    row = add(company_app, [{"key": name, "value": upload(company_app)} for name in needed])
    categories.category_review_reject(actor=staff_actor, category=row, reason="缺页")
    console_login(client, company_app)
    page = client.get(f"/settings/basic/categories/{row.pk}/modify/")
    assert [page.context["form"].fields[f"certificate_{n}"].label for n in (1, 2)] == list(needed)
    before = snapshot(company_app)
    response = client.post(
        f"/settings/basic/categories/{row.pk}/modify/", {"certificate_2": licence()}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["certificate_1"]
    assert snapshot(company_app) == before
    response = client.post(
        f"/settings/basic/categories/{row.pk}/modify/",
        {"certificate_1": licence("a.jpg"), "certificate_2": licence("b.jpg")},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == CategoryStatus.PENDING
