"""PAY-1: the desk's decisions on a merchant application reach the mini program's message
centre and the administrator's email; the API key is in none of them."""

from __future__ import annotations

import pytest
from django.core import mail

from miniport.core import deliveries, events
from miniport.miniprograms.models import Message
from miniport.review import services as review_services
from tests.payments.merchants.support import REVIEWER, apply, approve, owner, review_of

pytestmark = pytest.mark.django_db


def _deliver():
    events.deliver_pending()
    for delivery_id in deliveries.due_ids():
        deliveries.run(delivery_id)


@pytest.fixture
def certified(provision, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return provision("enterprise", certified=True).miniprogram


def test_pay1_approval_is_told_with_the_mch_id_never_the_key(certified):
    merchant = approve(apply(owner(certified), certified))
    _deliver()
    message = Message.objects.get(miniprogram=certified, kind="merchant.approved")
    assert merchant.mch_id in message.body and merchant.api_key not in message.body
    assert message.link == "/payments/"
    sent = [m for m in mail.outbox if merchant.mch_id in m.body]
    assert len(sent) == 1 and merchant.api_key not in sent[0].body


def test_pay1_material_request_and_rejection_are_told_with_the_reasons(certified):
    application = apply(owner(certified), certified)
    review_services.review_delay(
        actor=REVIEWER, review=review_of(application), reasons=["需要开户许可证"]
    )
    _deliver()
    asked = Message.objects.get(miniprogram=certified, kind="merchant.material_requested")
    assert "需要开户许可证" in asked.body
    from miniport.payments.merchants.services import merchant_supplement
    from tests.payments.merchants.support import png

    merchant_supplement(
        actor=owner(certified), miniprogram=certified, documents={"account_proof": png()}
    )
    review_services.review_reject(
        actor=REVIEWER, review=review_of(application), reasons=["材料不符"]
    )
    _deliver()
    rejected = Message.objects.get(miniprogram=certified, kind="merchant.rejected")
    assert "材料不符" in rejected.body
    # One message per event, however often the deliveries run.
    _deliver()
    assert (
        Message.objects.filter(miniprogram=certified).filter(kind__startswith="merchant.").count()
        == 2
    )
