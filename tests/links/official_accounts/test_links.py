"""OA-2 and OA-3: association requests, the administrator's confirmation by scan,
refusal, unlink, and every limit (each refusal changes nothing)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import QuotaCounter
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.official_accounts import links, selectors
from miniport.links.official_accounts.errors import OfficialAccountError as E
from miniport.links.official_accounts.models import LinkStatus, OfficialAccountLink
from miniport.miniprograms.errors import MiniProgramError
from tests.links.official_accounts.support import confirm, limit, request

pytestmark = pytest.mark.django_db


@pytest.fixture
def mp(provision):
    return provision("enterprise").miniprogram


def refused(code, call, *args):
    rows = OfficialAccountLink.objects.count()
    counters = list(QuotaCounter.objects.values_list("scope", "used"))
    with pytest.raises(PlatformError) as caught:
        call(*args)
    assert caught.value.code is code
    assert OfficialAccountLink.objects.count() == rows
    assert list(QuotaCounter.objects.values_list("scope", "used")) == counters
    return caught.value


def test_oa3_a_request_waits_for_the_administrator_and_their_scan_links_it(make_oa, mp):
    oa = make_oa(subject_of=mp)
    link = request(oa, mp.appid)
    assert link.status == LinkStatus.WAITING and link.same_subject
    ticket = QrTicket.objects.get(purpose=links.CONFIRM, payload__link=link.pk)
    assert ticket.expected_identity_id == mp.admin_identity_id
    assert confirm(link).status == LinkStatus.LINKED
    assert selectors.is_linked(oa.appid, mp)
    assert [row.miniprogram for row in selectors.links_of_official_account(oa)] == [mp]
    assert [row.official_account for row in selectors.links_of_miniprogram(mp)] == [oa]


def test_oa3_only_the_mini_program_administrator_may_confirm(make_oa, mp, make_identity):
    oa = make_oa()
    link = request(oa, mp.appid)
    ticket = QrTicket.objects.get(purpose=links.CONFIRM, payload__link=link.pk)
    with pytest.raises(PlatformError):
        identity_services.ticket_confirm(identity=make_identity("stranger"), token=ticket.token)
    link.refresh_from_db()
    assert link.status == LinkStatus.WAITING


def test_oa3_a_refusal_gives_the_place_back(make_oa, mp, provision):
    limit("official_account.other_subject_links", 1)
    oa = make_oa()
    link = request(oa, mp.appid)
    other = provision("enterprise").miniprogram
    refused(E.OTHER_SUBJECT_LIMIT, request, oa, other.appid)
    links.link_refuse(actor=Actor.for_identity(mp.admin_identity), link=link)
    assert request(oa, other.appid).status == LinkStatus.WAITING
    # A refused request can no longer be confirmed.
    link.refresh_from_db()
    assert link.status == LinkStatus.REFUSED
    with pytest.raises(PlatformError):
        confirm(link)


def test_oa3_an_unlink_from_either_side_gives_the_place_back(make_oa, mp, provision):
    limit("official_account.other_subject_links", 1)
    oa = make_oa()
    link = confirm(request(oa, mp.appid))
    links.unlink(actor=Actor.for_identity(mp.admin_identity), link=link)
    assert not selectors.is_linked(oa.appid, mp)
    second = confirm(request(oa, provision("enterprise").miniprogram.appid))
    links.unlink_by_appid(
        actor=Actor.system("t"), official_account=oa, appid=second.miniprogram.appid
    )
    assert selectors.links_of_official_account(oa) == []


def test_oa2_an_expired_request_gives_its_place_back(make_oa, mp, provision):
    limit("official_account.other_subject_links", 1)
    oa = make_oa()
    link = request(oa, mp.appid)
    OfficialAccountLink.objects.filter(pk=link.pk).update(
        requested_at=clock.now() - timedelta(hours=73)
    )
    other = request(oa, provision("enterprise").miniprogram.appid)
    assert other.status == LinkStatus.WAITING
    with pytest.raises(PlatformError):
        confirm(link)


def test_oa3_the_same_pair_may_ask_again_once_its_request_expired(make_oa, mp):
    oa = make_oa()
    link = request(oa, mp.appid)
    OfficialAccountLink.objects.filter(pk=link.pk).update(
        requested_at=clock.now() - timedelta(hours=73)
    )
    again = request(oa, mp.appid)
    link.refresh_from_db()
    assert link.status == LinkStatus.EXPIRED and again.status == LinkStatus.WAITING


def test_oa3_asking_twice_answers_89010_and_a_linked_pair_89015(make_oa, mp):
    oa = make_oa(subject_of=mp)
    link = request(oa, mp.appid)
    assert refused(E.ALREADY_WAITING, request, oa, mp.appid).errcode == 89010
    confirm(link)
    assert refused(E.ALREADY_LINKED, request, oa, mp.appid).errcode == 89015


@pytest.mark.parametrize("appid", ["", "wx0000000000000000", "wx\x00", "x" * 200])
def test_oa3_an_unknown_appid_answers_40013(make_oa, appid):
    assert refused(MiniProgramError.INVALID_APPID, request, make_oa(), appid).errcode == 40013


def test_oa2_ten_of_the_same_subject(make_oa, mp, same_subject):
    oa = make_oa(subject_of=mp)
    limit("official_account.same_subject_links", 2)
    request(oa, mp.appid)
    request(oa, same_subject(mp).miniprogram.appid)
    error = refused(E.SAME_SUBJECT_LIMIT, request, oa, same_subject(mp).miniprogram.appid)
    assert error.errcode == 89016


def test_oa2_three_of_other_subjects_counted_apart_from_the_same_subject(
    make_oa, mp, provision, same_subject
):
    oa = make_oa(subject_of=mp)
    for _ in range(3):
        request(oa, provision("enterprise").miniprogram.appid)
    error = refused(E.OTHER_SUBJECT_LIMIT, request, oa, provision("enterprise").miniprogram.appid)
    assert error.errcode == 89017
    assert request(oa, same_subject(mp).miniprogram.appid).same_subject


def test_oa2_official_accounts_per_mini_program(make_oa, mp):
    limit("official_account.links_per_miniprogram", 2)
    request(make_oa(), mp.appid)
    request(make_oa(), mp.appid)
    assert refused(E.MINIPROGRAM_LINK_LIMIT, request, make_oa(), mp.appid).errcode == 89009


def test_oa2_additions_a_month_per_official_account_are_not_given_back(make_oa, provision):
    limit("official_account.additions_per_month", 2)
    limit("official_account.other_subject_links", 10)
    oa = make_oa()
    first = request(oa, provision("enterprise").miniprogram.appid)
    links.unlink(actor=Actor.system("t"), link=first)
    request(oa, provision("enterprise").miniprogram.appid)
    other = provision("enterprise").miniprogram.appid
    assert refused(E.MONTHLY_LIMIT, request, oa, other).errcode == 89007


def test_oa2_additions_a_month_per_mini_program(make_oa, mp):
    limit("official_account.miniprogram_additions_per_month", 1)
    request(make_oa(), mp.appid)
    error = refused(E.MINIPROGRAM_MONTHLY_LIMIT, request, make_oa(), mp.appid)
    assert error.errcode == 89007


def test_oa3_unlinking_a_mini_program_not_associated_answers_40013(make_oa, mp):
    oa = make_oa()
    with pytest.raises(PlatformError) as caught:
        links.unlink_by_appid(actor=Actor.system("t"), official_account=oa, appid=mp.appid)
    assert caught.value.code is MiniProgramError.INVALID_APPID and caught.value.errcode == 40013
