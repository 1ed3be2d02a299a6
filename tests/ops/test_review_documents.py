"""INF-2 / INF-6: what reviewers decide on stays visible. Category qualifications and
setnickname's naming material arrive as temporary media (gone after `media.ttl_days`);
they are copied into permanent storage when the category is added or the name is
requested, and the review desk shows the copies."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import default_storage
from PIL import Image

from miniport.core import clock, policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgramCategory
from miniport.miniprograms.services import categories, media, profile
from miniport.review import selectors as review_selectors
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    company_app_fixture,
    image_bytes,
    personal_app_fixture,
    snapshot,
    staff_actor_fixture,
)

BANK = (9, 901, "金融许可证")


def category_review(row):
    return review_selectors.latest_review("category", row.pk)


def kept_files(appid: str) -> list[str]:
    if not default_storage.exists(f"kept/{appid}"):
        return []
    return default_storage.listdir(f"kept/{appid}")[1]


def upload(mp, fmt="JPEG") -> str:
    return media.media_upload(
        actor=actor_of(mp), miniprogram=mp, upload=image_bytes(fmt, (500, 400)), media_type="image"
    ).media_id


def after_the_media_expired():
    days = policy.value("media.ttl_days") + 1
    return time_machine.travel(clock.now() + timedelta(days=days), tick=False)


@pytest.fixture
def bank_category(company_app):
    return categories.category_add(
        actor=actor_of(company_app),
        miniprogram=company_app,
        first=BANK[0],
        second=BANK[1],
        certificates=[{"key": BANK[2], "value": upload(company_app)}],
    )


def test_the_reviewer_opens_a_qualification_after_its_temporary_media_expired(
    staff_client, staff, company_app, bank_category
):
    """INF-6: the queue's certificate link answers the image days after the upload."""
    with after_the_media_expired():
        staff_client.force_login(staff)  # sessions end after 12 hours: signs in again
        with pytest.raises(PlatformError):
            media.media_get(company_app, bank_category.certificates[0]["value"])
        review = category_review(bank_category)
        page = staff_client.get(f"/ops/reviews/{review.pk}/").content.decode()
        assert f"/ops/reviews/{review.pk}/documents/0/" in page
        response = staff_client.get(f"/ops/reviews/{review.pk}/documents/0/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (500, 400)
    assert len(kept_files(company_app.appid)) == 1


def test_a_refused_category_addition_keeps_no_copy(company_app):
    """INF-6: a refusal after the documents were checked leaves no file behind."""
    certificates = [{"key": BANK[2], "value": upload(company_app)}]
    categories.category_add(
        actor=actor_of(company_app),
        miniprogram=company_app,
        first=BANK[0],
        second=BANK[1],
        certificates=certificates,
    )
    before = snapshot(company_app)
    files = kept_files(company_app.appid)
    with pytest.raises(PlatformError) as caught:
        categories.category_add(
            actor=actor_of(company_app),
            miniprogram=company_app,
            first=BANK[0],
            second=BANK[1],
            certificates=certificates,
        )
    assert caught.value.code == MiniProgramError.CATEGORY_DUPLICATE
    assert snapshot(company_app) == before
    assert kept_files(company_app.appid) == files


def test_replacing_the_certificates_of_a_rejected_category_shows_the_new_ones(
    staff_client,
    staff,
    company_app,
    bank_category,
    staff_actor,
    django_capture_on_commit_callbacks,
):
    """INF-6: modify keeps a copy of the new document and drops the old one."""
    categories.category_review_reject(actor=staff_actor, category=bank_category, reason="模糊")
    old = bank_category.certificates[0]["file"]
    with django_capture_on_commit_callbacks(execute=True):
        row = categories.category_modify(
            actor=actor_of(company_app),
            miniprogram=company_app,
            first=BANK[0],
            second=BANK[1],
            certificates=[{"key": BANK[2], "value": upload(company_app, "PNG")}],
        )
    assert not default_storage.exists(old)
    with after_the_media_expired():
        staff_client.force_login(staff)  # sessions end after 12 hours: signs in again
        response = staff_client.get(f"/ops/reviews/{category_review(row).pk}/documents/0/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_deleting_a_category_removes_its_copies(
    company_app, bank_category, staff_actor, django_capture_on_commit_callbacks
):
    """INF-6: nothing shows a deleted category's documents, so they go."""
    categories.category_review_approve(actor=staff_actor, category=bank_category)
    with django_capture_on_commit_callbacks(execute=True):
        categories.category_delete(
            actor=actor_of(company_app), miniprogram=company_app, first=BANK[0], second=BANK[1]
        )
    assert not MiniProgramCategory.objects.exists()
    assert kept_files(company_app.appid) == []


# --- naming material (INF-2, setnickname) ------------------------------------------


def request_with_material(mp, **material):
    return profile.name_request_with_material(
        actor=actor_of(mp), miniprogram=mp, name="带材料的新名字", material=material
    )


def test_the_name_review_shows_the_naming_material_after_the_media_expired(
    staff_client, staff, personal_app
):
    """INF-2: id_card and other material are shown to reviewers, as permanent copies."""
    review = request_with_material(
        personal_app, id_card=upload(personal_app), naming_other_stuff_2=upload(personal_app, "PNG")
    )
    with after_the_media_expired():
        staff_client.force_login(staff)  # sessions end after 12 hours: signs in again
        page = staff_client.get(
            f"/ops/reviews/{review.pk}/", HTTP_ACCEPT_LANGUAGE="en"
        ).content.decode()
        id_card = staff_client.get(f"/ops/reviews/{review.pk}/documents/id_card/")
        other = staff_client.get(f"/ops/reviews/{review.pk}/documents/naming_other_stuff_2/")
    assert f"/ops/reviews/{review.pk}/documents/id_card/" in page
    assert f"/ops/reviews/{review.pk}/documents/naming_other_stuff_2/" in page
    assert id_card.status_code == 200 and id_card["Content-Type"] == "image/jpeg"
    assert other.status_code == 200 and other["Content-Type"] == "image/png"


@pytest.mark.parametrize("name", ["license", "naming_other_stuff_1", "../id_card", "media"])
def test_material_a_review_does_not_carry_answers_404(staff_client, personal_app, name):
    review = request_with_material(personal_app, id_card=upload(personal_app))
    response = staff_client.get(f"/ops/reviews/{review.pk}/documents/{name}/")
    assert response.status_code == 404


def test_console_accounts_cannot_open_naming_material(client, personal_app):
    review = request_with_material(personal_app, id_card=upload(personal_app))
    client.force_login(personal_app.account)
    assert client.get(f"/ops/reviews/{review.pk}/documents/id_card/").status_code == 404


def test_a_personal_name_request_without_an_id_card_is_refused_with_91009(personal_app):
    """INF-2 (wechat-api 7.2): id_card is required for personal subjects."""
    licence = upload(personal_app)
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        request_with_material(personal_app, license=licence)
    assert (caught.value.errcode, caught.value.field) == (91009, "id_card")
    assert snapshot(personal_app) == before
    assert kept_files(personal_app.appid) == []


def test_an_organisation_name_request_without_a_licence_is_refused_with_91009(company_app):
    """INF-2 (wechat-api 7.2): license is required for organisations."""
    id_card = upload(company_app)
    before = snapshot(company_app)
    with pytest.raises(PlatformError) as caught:
        request_with_material(company_app, id_card=id_card)
    assert (caught.value.errcode, caught.value.field) == (91009, "license")
    assert snapshot(company_app) == before


def test_a_refused_name_request_keeps_no_copy_of_its_material(personal_app):
    """INF-2: no name change left; the id_card already copied is removed again."""
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    policy_set_override(actor=Actor.system("tests"), key=profile.NAME_BEFORE_RELEASE, value=0)
    id_card = upload(personal_app)
    before = snapshot(personal_app)
    with pytest.raises(PlatformError) as caught:
        request_with_material(personal_app, id_card=id_card)
    assert caught.value.code == MiniProgramError.NAME_QUOTA
    assert snapshot(personal_app) == before
    assert kept_files(personal_app.appid) == []
