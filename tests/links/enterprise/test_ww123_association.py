"""WW-1 released mini programs only; WW-2 association started from either side; WW-3
authorised by the mini program administrator's scan; WW-5 the mini program lists every
association."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket, TicketStatus
from miniport.identities.selectors import pending_confirmations
from miniport.links.enterprise import selectors
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import Association, AssociationStatus
from miniport.links.enterprise.services import associations
from tests.links.enterprise.conftest import SESSION, associate

pytestmark = pytest.mark.django_db
S = AssociationStatus


def refused(call, code):
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def state():
    return (
        list(Association.objects.values_list("pk", "status")),
        AuditEntry.objects.filter(action__startswith="enterprise.association").count(),
    )


def from_enterprise(corp, appid):
    return associations.request_from_enterprise(
        actor=corp.actor, enterprise=corp.enterprise, appid=appid, session_key=SESSION
    )


def from_miniprogram(app, corp_id):
    return associations.request_from_miniprogram(
        actor=app.admin_actor, miniprogram=app.miniprogram, corp_id=corp_id, session_key=SESSION
    )


def test_ww1_an_unreleased_mini_program_is_refused_from_either_side(corp, app):
    before = state()
    error = refused(lambda: from_enterprise(corp, app.appid), EnterpriseError.NOT_RELEASED)
    assert error.field == "appid"
    refused(lambda: from_miniprogram(app, corp.corp_id), EnterpriseError.NOT_RELEASED)
    assert state() == before and not QrTicket.objects.filter(purpose="ww_authorize").exists()


def test_ww2_unknown_appids_and_corp_ids_are_named_in_their_field(corp, live_app):
    before = state()
    for appid in ("wx0000000000000000", "wx\x00", ""):
        error = refused(
            lambda appid=appid: from_enterprise(corp, appid), EnterpriseError.MINIPROGRAM_NOT_FOUND
        )
        assert error.field == "appid"
    for corp_id in ("ww0000000000000000", "ww\x00", "nonsense"):
        error = refused(
            lambda corp_id=corp_id: from_miniprogram(live_app, corp_id),
            EnterpriseError.ENTERPRISE_NOT_FOUND,
        )
        assert error.field == "corp_id"
    assert state() == before


def test_ww3_a_request_from_the_enterprise_waits_for_the_administrators_scan(corp, live_app):
    association, ticket = from_enterprise(corp, live_app.appid)
    assert association.status == S.WAITING_MINIPROGRAM
    assert ticket.expected_identity == live_app.admin
    assert ticket.payload["association"] == association.pk
    # It also waits on the administrator's phone.
    assert list(pending_confirmations(live_app.admin)) == [ticket]
    identity_services.ticket_confirm(identity=live_app.admin, token=ticket.token)
    association.refresh_from_db()
    assert association.status == S.ACTIVE
    assert association.authorized_by == live_app.admin and association.activated_at


def test_ww3_nobody_but_the_administrator_authorises(corp, live_app):
    association, ticket = from_enterprise(corp, live_app.appid)
    for intruder in (corp.admin, live_app.developer):
        refused(
            lambda intruder=intruder: identity_services.ticket_confirm(
                identity=intruder, token=ticket.token
            ),
            IdentityError.TICKET_WRONG_IDENTITY,
        )
    association.refresh_from_db()
    assert association.status == S.WAITING_MINIPROGRAM
    assert QrTicket.objects.get(pk=ticket.pk).status == TicketStatus.PENDING


def test_ww3_a_scan_by_a_former_administrator_is_refused_and_the_ticket_stays_open(
    corp, live_app, monkeypatch
):
    association, ticket = from_enterprise(corp, live_app.appid)
    # The administrator changes after the QR was shown.
    type(live_app.miniprogram).objects.filter(pk=live_app.miniprogram.pk).update(
        admin_identity=live_app.developer
    )
    refused(
        lambda: identity_services.ticket_confirm(identity=live_app.admin, token=ticket.token),
        EnterpriseError.WRONG_ADMINISTRATOR,
    )
    association.refresh_from_db()
    assert association.status == S.WAITING_MINIPROGRAM
    assert QrTicket.objects.get(pk=ticket.pk).status == TicketStatus.PENDING


def test_ww2_a_request_from_the_mini_program_needs_its_scan_then_the_enterprise(corp, live_app):
    association, ticket = from_miniprogram(live_app, corp.corp_id)
    assert association.started_by == "miniprogram"
    identity_services.ticket_confirm(identity=live_app.admin, token=ticket.token)
    association.refresh_from_db()
    assert association.status == S.WAITING_ENTERPRISE
    associations.association_accept(actor=corp.actor, association=association)
    association.refresh_from_db()
    assert association.status == S.ACTIVE


def test_ww2_the_enterprise_accepts_only_an_authorised_request(corp, live_app):
    association, _ticket = from_miniprogram(live_app, corp.corp_id)
    before = state()
    refused(
        lambda: associations.association_accept(actor=corp.actor, association=association),
        EnterpriseError.NOT_WAITING,
    )
    assert state() == before


def test_ww2_a_pair_has_one_live_association(corp, live_app):
    associate(corp, live_app)
    before = state()
    refused(lambda: from_enterprise(corp, live_app.appid), EnterpriseError.ALREADY_ASSOCIATED)
    refused(lambda: from_miniprogram(live_app, corp.corp_id), EnterpriseError.ALREADY_ASSOCIATED)
    assert state() == before


def test_ww2_an_unanswered_request_expires_and_a_new_one_takes_its_place(corp, live_app):
    association, ticket = from_enterprise(corp, live_app.appid)
    with time_machine.travel(clock.now() + timedelta(days=8), tick=False):
        assert selectors.effective_status(association) == S.ENDED
        refused(
            lambda: associations.authorize_ticket(association=association, session_key=SESSION),
            EnterpriseError.NOT_WAITING,
        )
        again, _ = from_enterprise(corp, live_app.appid)
    association.refresh_from_db()
    assert (association.status, association.end_reason) == (S.ENDED, "expired")
    assert again.status == S.WAITING_MINIPROGRAM


def test_ww3_a_fresh_qr_code_may_be_asked_while_the_request_waits(corp, live_app):
    association, first = from_enterprise(corp, live_app.appid)
    second = associations.authorize_ticket(association=association, session_key="mp-console")
    identity_services.ticket_confirm(identity=live_app.admin, token=second.token)
    association.refresh_from_db()
    assert association.status == S.ACTIVE
    # The first QR is of no use any more: the request is no longer waiting.
    refused(
        lambda: identity_services.ticket_confirm(identity=live_app.admin, token=first.token),
        EnterpriseError.NOT_WAITING,
    )


def test_either_side_ends_an_association_and_ended_ones_are_not_ended_twice(corp, live_app):
    association = associate(corp, live_app)
    associations.association_end(
        actor=live_app.admin_actor, association=association, side="miniprogram"
    )
    association.refresh_from_db()
    assert (association.status, association.end_reason) == (S.ENDED, "removed:miniprogram")
    before = state()
    refused(
        lambda: associations.association_end(
            actor=corp.actor, association=association, side="enterprise"
        ),
        EnterpriseError.NOT_WAITING,
    )
    assert state() == before
    # The pair may associate again.
    assert associate(corp, live_app).pk != association.pk


def test_ww5_the_mini_program_lists_every_association_with_its_status(
    corp, live_app, make_identity
):
    from miniport.core.actors import Actor
    from miniport.links.enterprise.services import directory

    other = directory.enterprise_create(
        actor=Actor.system("tests"), name="另一企业", admin_wechat_id=make_identity().wechat_id
    )
    active = associate(corp, live_app)
    waiting, _ = from_miniprogram(live_app, other.corp_id)
    associations.association_end(actor=corp.actor, association=active, side="enterprise")
    listed = selectors.associations_of_miniprogram(live_app.miniprogram)
    assert [(a.enterprise.corp_id, a.status) for a in listed] == [
        (other.corp_id, S.WAITING_MINIPROGRAM),
        (corp.corp_id, S.ENDED),
    ]
