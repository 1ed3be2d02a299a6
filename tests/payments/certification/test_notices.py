"""CER-1, CER-2: what certification tells the mini program (message centre and the
administrator's mail, through delivery routes) and records (audit rows)."""

from __future__ import annotations

import pytest
from django.core import mail

from miniport.core import deliveries, events
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry
from miniport.miniprograms.models import Message
from miniport.payments.models import CertificationApplication
from miniport.review import services as review
from tests.payments.certification.support import STAFF, apply, pay, review_of


def deliver():
    events.deliver_pending()
    for pk in deliveries.due_ids():
        deliveries.run(pk)


def messages_of(mp):
    return list(Message.objects.filter(miniprogram=mp).order_by("id").values_list("kind", "body"))


def test_each_step_is_told_to_the_mini_program(provision):
    mp = provision("enterprise").miniprogram
    application = apply(mp)
    pay(application)
    review.review_delay(actor=STAFF, review=review_of(application), reasons="请补充公函")
    deliver()
    review.review_reject(actor=STAFF, review=review_of(application), reasons="执照过期")
    deliver()
    kinds = [kind for kind, _body in messages_of(mp)]
    assert kinds == [
        "certification.fee_paid",
        "certification.material_requested",
        "certification.rejected",
    ]
    bodies = dict(messages_of(mp))
    assert "请补充公函" in bodies["certification.material_requested"]
    assert "执照过期" in bodies["certification.rejected"]
    assert len([m for m in mail.outbox if mp.name in m.subject]) == 3
    message = Message.objects.filter(miniprogram=mp).first()
    assert message.link == "/settings/basic/certification/"


def test_approval_is_told_with_the_end_of_the_term(provision):
    mp = provision("enterprise").miniprogram
    application = apply(mp)
    pay(application)
    review.review_approve(actor=STAFF, review=review_of(application))
    deliver()
    mp.subject.refresh_from_db()
    body = dict(messages_of(mp))["certification.approved"]
    assert mp.subject.certified_until.strftime("%Y") in body


def test_every_step_is_audited(provision):
    mp = provision("enterprise").miniprogram
    application = apply(mp)
    pay(application)
    review.review_delay(actor=STAFF, review=review_of(application), reasons="more")
    from miniport.payments.certification import services
    from tests.payments.certification.support import admin_actor, png, upload

    services.certification_supplement(
        actor=admin_actor(mp), application=application, documents={"other_material": upload(png())}
    )
    review.review_approve(actor=STAFF, review=review_of(application))
    actions = list(
        AuditEntry.objects.filter(appid=mp.appid, action__startswith="certification.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "certification.apply",
        "certification.fee_paid",
        "certification.material_request",
        "certification.supplement",
        "certification.approve",
    ]
    assert AuditEntry.objects.filter(action="subject.certify", appid=mp.appid).count() == 1


def test_a_decision_on_an_application_no_longer_under_review_rolls_back(provision):
    """The kind refuses when the application is not decidable; the review stays open."""
    mp = provision("enterprise").miniprogram
    application = apply(mp)
    pay(application)
    CertificationApplication.objects.filter(pk=application.pk).update(state="withdrawn")
    item = review_of(application)
    with pytest.raises(PlatformError) as caught:
        review.review_approve(actor=STAFF, review=item)
    assert caught.value.code == CoreError.ILLEGAL_TRANSITION
    item.refresh_from_db()
    mp.subject.refresh_from_db()
    assert item.state == "pending" and not mp.subject.is_certified


def test_audit_labels_name_every_certification_action():
    from miniport.core import audit_labels

    for action in (
        "certification.apply",
        "certification.fee_paid",
        "certification.fee_remittance",
        "certification.approve",
        "certification.reject",
        "certification.material_request",
        "certification.supplement",
        "certification.reminder",
    ):
        assert audit_labels.action_label(action) != str(audit_labels.action_label("zzz.unknown"))
