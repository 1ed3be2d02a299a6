"""OPN-1 through the server API (wechat-api section 10): /cgi-bin/open/create, bind,
unbind, get, have with a mini program's access_token, and their errcodes. OPN-2: the
unionid of /sns/jscode2session for bound apps only."""

from __future__ import annotations

import pytest

from miniport.identities.selectors import openid_for, unionid_for
from miniport.links.open_platform.models import OpenAccount, OpenBinding
from tests.openapi.wire import Wire, issue_code


@pytest.fixture
def wire(client) -> Wire:
    return Wire(client)


@pytest.fixture
def company(provision):
    return provision("enterprise", certified=True)


def state() -> tuple:
    return (
        sorted(OpenAccount.objects.values_list("open_appid", "bound_count", "certification")),
        sorted(OpenBinding.objects.values_list("open_account_id", "miniprogram_id")),
    )


def call(wire, app, path, body=None):
    return wire.post(path, body or {}, access_token=wire.token(app))


def test_opn1_create_makes_an_open_account_of_the_apps_subject_and_binds_the_app(wire, company):
    result = call(wire, company, "/cgi-bin/open/create", {"appid": company.miniprogram.appid})
    assert result["errcode"] == 0 and result["open_appid"].startswith("wx")
    account = OpenAccount.objects.get(open_appid=result["open_appid"])
    assert account.created_by_api and account.bound_count == 1 and not account.certified
    got = call(wire, company, "/cgi-bin/open/get")
    assert got["open_appid"] == result["open_appid"]
    token = wire.token(company)
    assert wire.get("/cgi-bin/open/have", access_token=token)["have_open"] is True


def test_opn1_create_for_an_app_already_bound_answers_89000_and_creates_nothing(wire, company):
    call(wire, company, "/cgi-bin/open/create")
    before = state()
    assert call(wire, company, "/cgi-bin/open/create")["errcode"] == 89000
    assert state() == before


def test_opn1_an_appid_other_than_the_tokens_answers_40013(wire, company, provision):
    other = provision("personal")
    before = state()
    result = call(wire, company, "/cgi-bin/open/create", {"appid": other.miniprogram.appid})
    assert result["errcode"] == 40013
    assert state() == before


def test_opn1_bind_a_same_subject_app_then_unbind_it(wire, company, same_subject):
    open_appid = call(wire, company, "/cgi-bin/open/create")["open_appid"]
    second = same_subject(company.miniprogram)
    assert call(wire, second, "/cgi-bin/open/bind", {"open_appid": open_appid})["errcode"] == 0
    assert OpenAccount.objects.get(open_appid=open_appid).bound_count == 2
    assert call(wire, second, "/cgi-bin/open/get")["open_appid"] == open_appid
    assert call(wire, second, "/cgi-bin/open/unbind", {"open_appid": open_appid})["errcode"] == 0
    assert OpenAccount.objects.get(open_appid=open_appid).bound_count == 1
    assert call(wire, second, "/cgi-bin/open/get")["errcode"] == 89002
    token = wire.token(second)
    assert wire.get("/cgi-bin/open/have", access_token=token)["have_open"] is False


def test_opn1_bind_of_another_subjects_app_answers_89001_and_binds_nothing(
    wire, company, provision
):
    open_appid = call(wire, company, "/cgi-bin/open/create")["open_appid"]
    stranger = provision("enterprise", certified=True)
    before = state()
    result = call(wire, stranger, "/cgi-bin/open/bind", {"open_appid": open_appid})
    assert result["errcode"] == 89001
    assert state() == before


def test_opn1_bind_of_an_app_already_bound_answers_89000(wire, company, same_subject):
    first = call(wire, company, "/cgi-bin/open/create")["open_appid"]
    second = same_subject(company.miniprogram)
    call(wire, second, "/cgi-bin/open/create")
    before = state()
    assert call(wire, second, "/cgi-bin/open/bind", {"open_appid": first})["errcode"] == 89000
    assert state() == before


@pytest.mark.parametrize(
    ("open_appid", "errcode"),
    # A NUL byte in a JSON body is refused by the wire itself (47001, data format error).
    [("wx0000000000000000", 40013), ("wx\x00bad", 47001), ("x" * 500, 40013)],
)
def test_opn1_an_unknown_open_appid_answers_40013(wire, company, open_appid, errcode):
    before = state()
    result = call(wire, company, "/cgi-bin/open/bind", {"open_appid": open_appid})
    assert result["errcode"] == errcode
    assert state() == before


def test_opn1_a_missing_open_appid_answers_40097(wire, company):
    assert call(wire, company, "/cgi-bin/open/bind", {})["errcode"] == 40097


def test_opn1_an_uncertified_account_made_in_the_console_binds_nothing_by_api_89036(wire, company):
    from miniport.core.actors import Actor
    from miniport.links.open_platform import services

    account = services.open_create(
        actor=Actor.system("tests"), miniprogram=company.miniprogram, via_api=False
    )
    before = state()
    result = call(wire, company, "/cgi-bin/open/bind", {"open_appid": account.open_appid})
    assert result["errcode"] == 89036
    assert state() == before


def test_opn1_an_uncertified_account_beyond_its_policy_row_answers_89004(
    wire, company, same_subject
):
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    policy_set_override(actor=Actor.system("tests"), key="open.uncertified_max_apps", value=2)
    open_appid = call(wire, company, "/cgi-bin/open/create")["open_appid"]
    app = same_subject(company.miniprogram)
    assert call(wire, app, "/cgi-bin/open/bind", {"open_appid": open_appid})["errcode"] == 0
    third = same_subject(company.miniprogram)
    before = state()
    result = call(wire, third, "/cgi-bin/open/bind", {"open_appid": open_appid})
    assert result["errcode"] == 89004
    assert state() == before


def test_opn1_unbind_from_an_account_the_app_is_not_bound_to_answers_89002(
    wire, company, same_subject
):
    open_appid = call(wire, company, "/cgi-bin/open/create")["open_appid"]
    second = same_subject(company.miniprogram)
    before = state()
    result = call(wire, second, "/cgi-bin/open/unbind", {"open_appid": open_appid})
    assert result["errcode"] == 89002
    assert state() == before


def redeem(wire, app, identity) -> dict:
    return wire.get(
        "/sns/jscode2session",
        appid=app.miniprogram.appid,
        secret=app.secret,
        js_code=issue_code(app.miniprogram, identity),
        grant_type="authorization_code",
    )


def test_opn2_jscode2session_gives_one_unionid_in_every_bound_app(
    wire, company, same_subject, make_identity
):
    user = make_identity()
    assert "unionid" not in redeem(wire, company, user)
    open_appid = call(wire, company, "/cgi-bin/open/create")["open_appid"]
    second = same_subject(company.miniprogram)
    call(wire, second, "/cgi-bin/open/bind", {"open_appid": open_appid})
    one, two = redeem(wire, company, user), redeem(wire, second, user)
    assert one["unionid"] == two["unionid"] == unionid_for(user, open_appid)
    assert one["openid"] == openid_for(user, company.miniprogram.appid) != two["openid"]
    assert "errcode" not in one
    assert redeem(wire, company, make_identity())["unionid"] != one["unionid"]
    call(wire, second, "/cgi-bin/open/unbind", {"open_appid": open_appid})
    assert "unionid" not in redeem(wire, second, user)


def test_opn2_the_unionid_costs_jscode2session_no_statement_of_its_own(
    wire, company, same_subject, make_identity
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    second = same_subject(company.miniprogram)
    open_appid = call(wire, company, "/cgi-bin/open/create")["open_appid"]
    user = make_identity()
    redeem(wire, company, user), redeem(wire, second, user)  # tokens and apps looked up once
    counts, lookups = [], []
    for app in (second, company):  # unbound, then bound
        code = issue_code(app.miniprogram, user)
        with CaptureQueriesContext(connection) as captured:
            answer = wire.get(
                "/sns/jscode2session",
                appid=app.miniprogram.appid,
                secret=app.secret,
                js_code=code,
                grant_type="authorization_code",
            )
        counts.append(len(captured.captured_queries))
        binding_reads = [q["sql"] for q in captured.captured_queries if "openbinding" in q["sql"]]
        lookups.append(sum("code_id" in sql for sql in binding_reads))
        assert all("code_id" in sql for sql in binding_reads), binding_reads
        assert ("unionid" in answer) is (app is company), answer
    # The login statement itself reads the binding, whether the app is bound or not, and
    # no other statement does (PostgreSQL adds the redemption's lock and transaction).
    assert lookups == [1, 1]
    assert counts[0] == counts[1]
    assert open_appid
