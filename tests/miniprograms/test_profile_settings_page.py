"""INF-8: the basic settings page — every field with its remaining changes, subject
information (masked), certification status, user satisfaction; and who may see it."""

from __future__ import annotations

import pytest
from django.utils import translation

from miniport.core.masking import mask
from miniport.miniprograms.models import PendingName
from miniport.miniprograms.services import profile
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    company_app_fixture,  # noqa: F401
    console_login,
    fresh,
    image_bytes,
    personal_app_fixture,  # noqa: F401
    snapshot,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def text_of(response) -> str:
    return response.content.decode()


def test_the_page_shows_every_field_with_its_remaining_changes(client, personal_app):
    """INF-8: name, short name, avatar, code, introduction, categories, subject,
    certification, satisfaction; remaining changes per field."""
    profile.introduction_change(
        actor=actor_of(personal_app), miniprogram=personal_app, introduction="开发教学"
    )
    response = console_login(client, personal_app).get(
        "/settings/basic/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = text_of(response)
    for field in (
        "name",
        "short_name",
        "avatar",
        "code",
        "introduction",
        "categories",
        "subject",
        "certification",
        "satisfaction",
    ):
        assert f'data-field="{field}"' in html
    assert 'data-field="introduction" data-remaining="4"' in html
    assert "4 changes left this month" in html
    assert "2 changes left this year" in html
    assert "Before the first release the name can be changed 2 times." in html
    assert "Personal accounts cannot be certified." in html
    assert "Not enough ratings" in html
    assert "开发教学" in html


def test_personal_names_are_masked_and_the_admin_sees_a_masked_id_number(client, personal_app):
    """INF-8: 邓* style names; the ID number only to the administrator, masked."""
    subject = personal_app.subject
    html = text_of(console_login(client, personal_app).get("/settings/basic/"))
    assert subject.name not in html
    assert subject.name[0] + "*" in html
    assert subject.id_number not in html
    assert mask(subject.id_number) in html
    assert 'data-testid="subject-id-number"' in html


def test_a_data_analyst_cannot_see_basic_settings(make_identity, add_member, team, console_as):
    """INF-8: data analysts have no profile.view: the pages answer 404, edits too."""
    analyst = make_identity("analyst_01")
    add_member(team, analyst, roles=("data_analyst",))
    mp = team.miniprogram
    browser = console_as(analyst, mp.appid)
    assert browser.get("/settings/basic/").status_code == 404
    assert browser.get("/settings/basic/categories/").status_code == 404
    before = snapshot(mp)
    response = browser.post("/settings/basic/edit/introduction/", {"introduction": "分析师的介绍"})
    assert response.status_code == 404
    assert browser.post("/settings/basic/categories/", {"category": "1:101"}).status_code == 404
    assert snapshot(mp) == before


def test_an_operator_sees_the_page_but_not_the_id_number(
    make_identity, add_member, team, console_as
):
    """INF-8: subject.view_id_number belongs to the administrator only."""
    operator = make_identity("operator_01")
    add_member(team, operator, roles=("operator",))
    response = console_as(operator, team.miniprogram.appid).get("/settings/basic/")
    html = text_of(response)
    assert response.status_code == 200
    assert 'data-field="subject"' in html
    assert 'data-testid="subject-id-number"' not in html
    assert team.miniprogram.subject.id_number not in html


def test_a_developer_may_not_open_or_edit_the_information(
    make_identity, add_member, team, console_as
):
    """INF-8: developers have neither profile.view nor profile.edit."""
    developer = make_identity("developer_01")
    add_member(team, developer, roles=("developer",))
    browser = console_as(developer, team.miniprogram.appid)
    before = snapshot(team.miniprogram)
    assert browser.get("/settings/basic/edit/name/").status_code == 404
    assert browser.post("/settings/basic/edit/name/", {"name": "开发者改名"}).status_code == 404
    assert snapshot(team.miniprogram) == before


def test_an_outsider_session_is_not_let_in(client, personal_app, make_identity):
    stranger = make_identity("stranger_01")
    response = console_login(client, personal_app, stranger).get("/settings/basic/")
    assert response.status_code in (302, 404)
    assert personal_app.appid not in text_of(response)


def test_editing_the_introduction_through_the_form(client, personal_app):
    console_login(client, personal_app)
    response = client.post(
        "/settings/basic/edit/introduction/", {"introduction": "一个用于教学的应用"}
    )
    assert response.status_code == 302
    assert fresh(personal_app).introduction == "一个用于教学的应用"


def test_a_refused_edit_names_the_field_and_stores_nothing(client, personal_app):
    console_login(client, personal_app)
    before = snapshot(personal_app)
    response = client.post("/settings/basic/edit/name/", {"name": "含有小程序的名字"})
    assert response.status_code == 400
    assert "小程序" in text_of(response) and "errorlist" in text_of(response)
    assert snapshot(personal_app) == before


def test_a_name_request_through_the_form_shows_as_under_review(client, personal_app):
    console_login(client, personal_app)
    client.post("/settings/basic/edit/name/", {"name": "教学工具箱"})
    assert PendingName.objects.filter(
        miniprogram=personal_app, requested_name="教学工具箱"
    ).exists()
    html = text_of(client.get("/settings/basic/"))
    assert 'data-testid="name-pending"' in html and "教学工具箱" in html


def test_uploading_an_avatar_through_the_form(client, personal_app):
    from django.core.files.uploadedfile import SimpleUploadedFile

    console_login(client, personal_app)
    upload = SimpleUploadedFile(
        "me.jpg", image_bytes("JPEG", (400, 400)), content_type="image/jpeg"
    )
    assert client.post("/settings/basic/edit/avatar/", {"avatar": upload}).status_code == 302
    image = client.get("/settings/basic/avatar/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_a_text_file_as_avatar_is_refused_on_the_form(client, personal_app):
    from django.core.files.uploadedfile import SimpleUploadedFile

    console_login(client, personal_app)
    before = snapshot(personal_app)
    upload = SimpleUploadedFile("me.png", b"not an image", content_type="image/png")
    response = client.post("/settings/basic/edit/avatar/", {"avatar": upload})
    assert response.status_code == 400
    assert snapshot(personal_app) == before


def test_code_and_material_downloads(client, personal_app):
    """INF-7: the code PNG and the material zip from the page."""
    console_login(client, personal_app)
    code = client.get("/settings/basic/code.png?download=1")
    assert code.status_code == 200 and code["Content-Type"] == "image/png"
    assert code.content.startswith(b"\x89PNG")
    pack = client.get("/settings/basic/material.zip")
    assert pack.status_code == 200 and pack["Content-Type"] == "application/zip"
    assert "attachment" in pack["Content-Disposition"]


def test_adding_and_deleting_a_category_on_the_categories_page(client, personal_app):
    """INF-6: the console adds and deletes categories with the same rules."""
    console_login(client, personal_app)
    assert client.post("/settings/basic/categories/", {"category": "2:201"}).status_code == 302
    row = personal_app.categories.get()
    html = text_of(client.get("/settings/basic/categories/"))
    assert 'data-category="2:201" data-status="approved"' in html
    assert client.post(f"/settings/basic/categories/{row.pk}/delete/").status_code == 302
    assert not personal_app.categories.exists()


def test_a_sensitive_category_without_material_is_refused_on_the_page(client, company_app):
    """INF-6: the refusal shows on the qualification's upload field."""
    console_login(client, company_app)
    before = snapshot(company_app)
    response = client.post("/settings/basic/categories/", {"category": "8:801", "shown": "8:801"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["certificate_1"] and "category" not in form.errors
    assert snapshot(company_app) == before


def test_a_sensitive_category_with_a_licence_goes_to_review(client, company_app):
    from django.core.files.uploadedfile import SimpleUploadedFile

    console_login(client, company_app)
    licence = SimpleUploadedFile(
        "licence.jpg", image_bytes("JPEG", (600, 400)), content_type="image/jpeg"
    )
    assert (
        client.post(
            "/settings/basic/categories/",
            {"category": "8:801", "shown": "8:801", "certificate_1": licence},
        ).status_code
        == 302
    )
    assert company_app.categories.get().status == "pending"


def test_another_mini_programs_category_answers_404(client, personal_app, company_app):
    from miniport.miniprograms.services import categories

    theirs = categories.category_add(
        actor=actor_of(company_app), miniprogram=company_app, first=1, second=101
    )
    console_login(client, personal_app)
    assert client.post(f"/settings/basic/categories/{theirs.pk}/delete/").status_code == 404
    assert company_app.categories.count() == 1
