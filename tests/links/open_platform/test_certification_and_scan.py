"""OPN-1: an open account made in the console binds only once its developer qualification
certification passed the ops desk; the binding is confirmed by the mini program
administrator's scan; unbinding from either side gives the place back."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.selectors import pending_confirmations
from miniport.links.open_platform import certification, purposes, services
from miniport.links.open_platform.errors import OpenError
from miniport.links.open_platform.models import Certification, OpenAccount, OpenBinding
from miniport.review import services as review_services
from miniport.review.models import Review
from tests.links.open_platform.makers import (
    REVIEWER,
    SYSTEM,
    certified_account,
    console_account,
    upload,
)


def state() -> tuple:
    return (
        sorted(OpenAccount.objects.values_list("open_appid", "bound_count", "certification")),
        sorted(OpenBinding.objects.values_list("open_account_id", "miniprogram_id")),
        Review.objects.count(),
    )


@pytest.fixture
def owner(provision):
    return provision("enterprise", certified=True).miniprogram


def test_opn1_an_uncertified_console_account_cannot_ask_for_a_binding(owner, provision):
    account = console_account(owner)
    app = provision("personal").miniprogram
    before = state()
    with pytest.raises(PlatformError) as refused:
        purposes.bind_request(actor=SYSTEM, account=account, miniprogram=app, session_key="s1")
    assert refused.value.code is OpenError.NOT_CERTIFIED
    assert state() == before


def test_opn1_certification_goes_to_the_desk_and_approval_certifies(owner):
    account = console_account(owner)
    review = certification.certification_submit(
        actor=SYSTEM, account=account, miniprogram=owner, documents=[upload(), upload("b.png")]
    )
    account.refresh_from_db()
    assert account.certification == Certification.PENDING and len(account.documents) == 2
    assert certification.KIND.document(review, "d1")[1] == "PNG"
    with pytest.raises(PlatformError) as refused:
        certification.certification_submit(
            actor=SYSTEM, account=account, miniprogram=owner, documents=[upload()]
        )
    assert refused.value.code is OpenError.CERTIFICATION_OPEN
    review_services.review_approve(actor=REVIEWER, review=review)
    account.refresh_from_db()
    assert account.certified


def test_opn1_a_rejected_certification_keeps_the_reasons_and_may_be_submitted_again(owner):
    account = console_account(owner)
    review = certification.certification_submit(
        actor=SYSTEM, account=account, miniprogram=owner, documents=[upload()]
    )
    review_services.review_reject(actor=REVIEWER, review=review, reasons=["blurred licence"])
    account.refresh_from_db()
    assert account.certification == Certification.REJECTED
    assert "blurred licence" in account.reasons
    certification.certification_submit(
        actor=SYSTEM, account=account, miniprogram=owner, documents=[upload()]
    )
    account.refresh_from_db()
    assert account.certification == Certification.PENDING


@pytest.mark.parametrize(
    ("documents", "field"),
    [([], "documents"), ([upload("x.png", b"not an image")], "documents")],
)
def test_opn1_certification_without_a_real_image_is_refused_naming_the_field(
    owner, documents, field
):
    account = console_account(owner)
    before = state()
    with pytest.raises(PlatformError) as refused:
        certification.certification_submit(
            actor=SYSTEM, account=account, miniprogram=owner, documents=documents
        )
    assert refused.value.field == field
    assert state() == before


def test_opn1_too_many_documents_are_refused(owner):
    account = console_account(owner)
    before = state()
    with pytest.raises(PlatformError) as refused:
        certification.certification_submit(
            actor=SYSTEM, account=account, miniprogram=owner, documents=[upload()] * 6
        )
    assert refused.value.code is OpenError.TOO_MANY_DOCUMENTS
    assert state() == before


def test_opn1_the_administrators_scan_binds_an_app_of_another_subject(owner, provision):
    account = certified_account(owner)
    app = provision("personal").miniprogram
    ticket = purposes.bind_request(actor=SYSTEM, account=account, miniprogram=app, session_key="s1")
    assert ticket.expected_identity_id == app.admin_identity_id
    assert ticket in pending_confirmations(app.admin_identity)
    assert not OpenBinding.objects.filter(miniprogram=app).exists()
    identity_services.ticket_confirm(identity=app.admin_identity, token=ticket.token)
    assert OpenBinding.objects.get(miniprogram=app).open_account == account
    account.refresh_from_db()
    assert account.bound_count == 1


def test_opn1_a_scan_that_would_pass_the_limit_is_undone(owner, provision):
    from miniport.core import policy
    from miniport.core.models import PolicyOverride

    account = certified_account(owner)
    first, second = provision("personal").miniprogram, provision("personal").miniprogram
    tickets = [
        purposes.bind_request(actor=SYSTEM, account=account, miniprogram=mp, session_key="s")
        for mp in (first, second)
    ]
    PolicyOverride.objects.create(key="open.certified_max_apps", value=1)
    policy.forget_cached()
    identity_services.ticket_confirm(identity=first.admin_identity, token=tickets[0].token)
    before = state()
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=second.admin_identity, token=tickets[1].token)
    assert refused.value.code is OpenError.APP_LIMIT
    assert state() == before


def test_opn1_unbinding_from_either_side_gives_the_place_back(owner, provision):
    account = certified_account(owner)
    app = provision("personal").miniprogram
    services.open_bind(actor=SYSTEM, account=account, miniprogram=app, via_api=False)
    services.open_unbind(actor=SYSTEM, account=account, miniprogram=app)
    account.refresh_from_db()
    assert account.bound_count == 0
    with pytest.raises(PlatformError) as refused:
        services.open_unbind(actor=SYSTEM, account=account, miniprogram=app)
    assert refused.value.code is OpenError.NOT_BOUND_HERE


def test_opn1_a_former_administrator_cannot_confirm_a_binding_after_a_handover(
    owner, provision, make_identity
):
    from miniport.identities.errors import IdentityError
    from miniport.miniprograms.models import MiniProgram

    account = certified_account(owner)
    app = provision("personal").miniprogram
    ticket = purposes.bind_request(actor=SYSTEM, account=account, miniprogram=app, session_key="s1")
    former = app.admin_identity
    # The handover moves the administrator with one UPDATE (miniprograms.services.handover).
    MiniProgram.objects.filter(pk=app.pk).update(admin_identity=make_identity())
    before = state()
    with pytest.raises(PlatformError) as refused:
        identity_services.ticket_confirm(identity=former, token=ticket.token)
    assert refused.value.code is IdentityError.TICKET_WRONG_IDENTITY
    assert state() == before


def test_opn1_a_certification_decision_is_one_transaction_with_its_audit_row(owner, monkeypatch):
    from miniport.links.open_platform import services as open_services

    account = console_account(owner)
    OpenAccount.objects.filter(pk=account.pk).update(certification=Certification.PENDING)
    account.refresh_from_db()

    def broken(*args, **kwargs):
        raise RuntimeError("the audit row could not be written")

    monkeypatch.setattr(open_services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        open_services.certification_decided(
            actor=REVIEWER, account=account, approved=True, reasons=[]
        )
    # No decision without its audit row.
    assert OpenAccount.objects.get(pk=account.pk).certification == Certification.PENDING
