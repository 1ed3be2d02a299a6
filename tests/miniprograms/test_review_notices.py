"""INF-2, INF-6: the desk's decisions on a name or a category reach the mini program's
message centre and its administrator's email, delivered by a worker after the decision,
with the reason of a rejection (as code review results do, VER-5)."""

from __future__ import annotations

import pytest
from django.core import mail

from miniport.core import deliveries
from miniport.miniprograms.models import Message
from miniport.miniprograms.services import categories, media, profile
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    company_app_fixture,
    image_bytes,
    personal_app_fixture,
    staff_actor_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)


def delivered() -> None:
    for pk in deliveries.due_ids():
        deliveries.run(pk)


def test_a_rejected_name_reaches_the_message_centre_and_the_mail_with_its_reason(
    personal_app, staff_actor
):
    review = profile.name_request(
        actor=actor_of(personal_app), miniprogram=personal_app, name="被拒的名字"
    )
    mail.outbox.clear()
    profile.name_review_reject(actor=staff_actor, review=review, reason="名称包含特殊字符")
    delivered()
    message = Message.objects.get(miniprogram=personal_app, kind="miniprogram.name_audit")
    assert message.title == "名称未通过审核"
    assert "被拒的名字" in message.body and "名称包含特殊字符" in message.body
    assert message.link == "/settings/basic/"
    [sent] = mail.outbox
    assert "名称未通过审核" in sent.subject and "名称包含特殊字符" in sent.body


def test_an_approved_name_is_told_too(personal_app, staff_actor):
    review = profile.name_request(
        actor=actor_of(personal_app), miniprogram=personal_app, name="新的名字"
    )
    profile.name_review_approve(actor=staff_actor, review=review)
    delivered()
    message = Message.objects.get(miniprogram=personal_app, kind="miniprogram.name_audit")
    assert message.title == "名称已通过审核" and "新的名字" in message.body


def test_a_category_decision_names_the_category_and_the_reason(company_app, staff_actor):
    uploaded = media.media_upload(
        actor=actor_of(company_app),
        miniprogram=company_app,
        upload=image_bytes("JPEG"),
        media_type="image",
    )
    row = categories.category_add(
        actor=actor_of(company_app),
        miniprogram=company_app,
        first=8,
        second=801,
        certificates=[{"key": "医疗机构执业许可证", "value": uploaded.media_id}],
    )
    categories.category_review_reject(actor=staff_actor, category=row, reason="许可证已过期")
    delivered()
    message = Message.objects.get(miniprogram=company_app, kind="miniprogram.category_audit")
    assert message.title == "类目未通过审核"
    assert "许可证已过期" in message.body
    assert f"{row.first_name} > {row.second_name}" in message.body
    assert message.link == "/settings/basic/categories/"
