"""Tester management over the server API (wechat-api section 5; MEM-2, MEM-3): bindings
are immediate, share the console's places and limits, and answer WeChat's errcodes."""

from __future__ import annotations

import json

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import CoreError
from miniport.core.models import AuditEntry, QuotaCounter
from miniport.core.services import policy_set_override
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MemberStatus
from miniport.miniprograms.services import members as member_services


def _state(miniprogram) -> dict:
    return {
        "members": sorted(
            Member.objects.values_list("miniprogram_id", "identity_id", "kind", "status")
        ),
        "places": sorted(QuotaCounter.objects.values_list("scope", "used")),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def api(wire, app):
    token = wire.token(app)

    class Api:
        miniprogram = app.miniprogram

        def post(self, path, body):
            return wire.post(path, body, access_token=token)

    return Api()


def test_bind_tester_makes_an_active_experience_member_at_once(api, make_identity):
    """MEM-2: bind_tester returns the userstr; no scan for the API."""
    tester = make_identity("tester_01")
    result = api.post("/wxa/bind_tester", {"wechatid": "tester_01"})
    assert result["errcode"] == 0 and result["errmsg"] == "ok"
    member = Member.objects.get(identity=tester)
    assert result["userstr"] == member.userstr
    assert member.kind == "experience" and member.status == MemberStatus.ACTIVE
    assert selectors.roles_of(tester, api.miniprogram) == {permissions.EXPERIENCE}


@pytest.mark.parametrize("wechatid", ["nobody_here", ""])
def test_an_unknown_wechat_id_answers_85001(api, wechatid):
    before = _state(api.miniprogram)
    result = api.post("/wxa/bind_tester", {"wechatid": wechatid})
    assert result["errcode"] == 85001
    assert result["errmsg"].startswith("user not exist or user cannot be searched")
    assert _state(api.miniprogram) == before


def test_an_unsearchable_wechat_id_answers_85001(api, make_identity):
    hidden = make_identity("hidden_one")
    hidden.searchable = False
    hidden.save(update_fields=["searchable"])
    before = _state(api.miniprogram)
    assert api.post("/wxa/bind_tester", {"wechatid": "hidden_one"})["errcode"] == 85001
    assert _state(api.miniprogram) == before


def test_a_full_tester_list_answers_85002(api, make_identity):
    """MEM-3: personal subjects hold 10 experience members, console and API together."""
    limit = selectors.member_limit(api.miniprogram, "experience")
    for _ in range(limit):
        assert api.post("/wxa/bind_tester", {"wechatid": make_identity().wechat_id})["errcode"] == 0
    extra = make_identity()
    before = _state(api.miniprogram)
    assert api.post("/wxa/bind_tester", {"wechatid": extra.wechat_id})["errcode"] == 85002
    assert _state(api.miniprogram) == before


def test_pending_console_additions_hold_places_the_api_cannot_take(api, make_identity):
    """MEM-4: the API shares the console's places, pending ones included."""
    limit = selectors.member_limit(api.miniprogram, "experience")
    admin_actor = Actor.for_identity(api.miniprogram.admin_identity)
    for _ in range(limit):
        member_services.member_request_add(
            actor=admin_actor,
            miniprogram=api.miniprogram,
            wechat_id=make_identity().wechat_id,
            kind="experience",
            session_key="console-browser",
        )
    extra = make_identity()
    before = _state(api.miniprogram)
    assert api.post("/wxa/bind_tester", {"wechatid": extra.wechat_id})["errcode"] == 85002
    assert _state(api.miniprogram) == before


def test_a_tester_of_too_many_mini_programs_answers_85003(
    api, make_identity, provision, system_actor
):
    """MEM-3: members.tester_of_max_miniprograms."""
    policy_set_override(actor=system_actor, key="members.tester_of_max_miniprograms", value=1)
    tester = make_identity("busy_tester")
    other = provision("personal").miniprogram
    member_services.tester_bind(
        actor=Actor.for_app(other.appid), miniprogram=other, wechat_id=tester.wechat_id
    )
    before = _state(api.miniprogram)
    assert api.post("/wxa/bind_tester", {"wechatid": "busy_tester"})["errcode"] == 85003
    assert _state(api.miniprogram) == before


def test_binding_the_same_wechat_id_twice_answers_85004(api, make_identity):
    make_identity("tester_01")
    api.post("/wxa/bind_tester", {"wechatid": "tester_01"})
    before = _state(api.miniprogram)
    assert api.post("/wxa/bind_tester", {"wechatid": "tester_01"})["errcode"] == 85004
    assert _state(api.miniprogram) == before


def test_the_administrator_is_no_tester(api):
    """The administrator already has tester rights; binding is refused, nothing stored."""
    before = _state(api.miniprogram)
    result = api.post("/wxa/bind_tester", {"wechatid": api.miniprogram.admin_identity.wechat_id})
    assert result["errcode"] != 0
    assert _state(api.miniprogram) == before


def test_unbind_by_userstr_or_wechat_id(api, make_identity):
    """MEM-2: removal through the API gives the place back."""
    make_identity("tester_01")
    make_identity("tester_02")
    userstr = api.post("/wxa/bind_tester", {"wechatid": "tester_01"})["userstr"]
    api.post("/wxa/bind_tester", {"wechatid": "tester_02"})
    assert api.post("/wxa/unbind_tester", {"userstr": userstr}) == {"errcode": 0, "errmsg": "ok"}
    assert api.post("/wxa/unbind_tester", {"wechatid": "tester_02"})["errcode"] == 0
    assert not Member.objects.filter(miniprogram=api.miniprogram).exists()
    assert selectors.places(api.miniprogram, "experience").taken == 0


def test_an_unknown_userstr_answers_89034(api, make_identity):
    make_identity("tester_01")
    api.post("/wxa/bind_tester", {"wechatid": "tester_01"})
    before = _state(api.miniprogram)
    assert api.post("/wxa/unbind_tester", {"userstr": "not-a-userstr"})["errcode"] == 89034
    assert _state(api.miniprogram) == before


def test_a_userstr_of_another_mini_program_answers_89034(api, make_identity, provision):
    other = provision("personal").miniprogram
    theirs = member_services.tester_bind(
        actor=Actor.for_app(other.appid),
        miniprogram=other,
        wechat_id=make_identity("tester_01").wechat_id,
    )
    before = _state(api.miniprogram)
    assert api.post("/wxa/unbind_tester", {"userstr": theirs.userstr})["errcode"] == 89034
    assert _state(api.miniprogram) == before


@pytest.mark.parametrize("wechatid", ["nobody_here", "tester_02"])
def test_unbinding_a_wechat_id_that_is_no_tester_answers_40097(api, make_identity, wechatid):
    """MEM-2: an unknown WeChat ID, or one that is no tester of this mini program, is
    "member not found" (40097, WeChat's generic invalid args); nothing is unbound."""
    make_identity("tester_01")
    make_identity("tester_02")
    api.post("/wxa/bind_tester", {"wechatid": "tester_01"})
    before = _state(api.miniprogram)
    result = api.post("/wxa/unbind_tester", {"wechatid": wechatid})
    assert result["errcode"] == 40097 == CoreError.INVALID_ARGS.errcode
    assert result["errmsg"].startswith(MiniProgramError.MEMBER_NOT_FOUND.message("en"))
    assert _state(api.miniprogram) == before


def test_a_console_addition_pending_the_administrators_scan_cannot_be_unbound(api, make_identity):
    """MEM-2 / MEM-4: only confirmed experience members are testers (memberauth lists no
    pending row); the API finds nothing to unbind and the console's request stays."""
    pending, _ticket = member_services.member_request_add(
        actor=Actor.for_identity(api.miniprogram.admin_identity),
        miniprogram=api.miniprogram,
        wechat_id=make_identity("pending_1").wechat_id,
        kind="experience",
        session_key="console-browser",
    )
    before = _state(api.miniprogram)
    by_wechat_id = api.post("/wxa/unbind_tester", {"wechatid": "pending_1"})
    assert by_wechat_id["errcode"] == CoreError.INVALID_ARGS.errcode
    assert by_wechat_id["errmsg"].startswith(MiniProgramError.MEMBER_NOT_FOUND.message("en"))
    assert api.post("/wxa/unbind_tester", {"userstr": pending.userstr})["errcode"] == 89034
    assert _state(api.miniprogram) == before
    assert Member.objects.get(pk=pending.pk).status == MemberStatus.PENDING


def test_unbinding_with_neither_field_is_refused(api):
    before = _state(api.miniprogram)
    assert api.post("/wxa/unbind_tester", {})["errcode"] == CoreError.INVALID_ARGS.errcode
    assert _state(api.miniprogram) == before


def test_memberauth_lists_the_active_experience_members(api, make_identity):
    """MEM-2: get_experiencer lists userstr of active experience members only."""
    make_identity("tester_01")
    userstr = api.post("/wxa/bind_tester", {"wechatid": "tester_01"})["userstr"]
    admin_actor = Actor.for_identity(api.miniprogram.admin_identity)
    member_services.member_request_add(
        actor=admin_actor,
        miniprogram=api.miniprogram,
        wechat_id=make_identity("pending_1").wechat_id,
        kind="experience",
        session_key="console-browser",
    )
    result = api.post("/wxa/memberauth", {"action": "get_experiencer"})
    assert result == {"errcode": 0, "errmsg": "ok", "members": [{"userstr": userstr}]}


def test_memberauth_with_another_action_is_refused(api):
    assert (
        api.post("/wxa/memberauth", {"action": "get_everyone"})["errcode"]
        == CoreError.INVALID_ARGS.errcode
    )


@pytest.mark.parametrize("path", ["/wxa/bind_tester", "/wxa/unbind_tester", "/wxa/memberauth"])
def test_the_wire_rules_hold(wire, app, path):
    """Empty body 44002, bad JSON 47001, GET 43002, no token 41001-style refusal."""
    token = wire.token(app)
    assert wire.post_raw(path, b"", access_token=token)["errcode"] == 44002
    assert wire.post_raw(path, b"{not json", access_token=token)["errcode"] == 47001
    assert wire.get(path, access_token=token)["errcode"] == 43002
    assert wire.post(path, {"wechatid": "x"})["errcode"] != 0


def test_a_body_without_content_type_is_read(wire, app, make_identity):
    make_identity("tester_01")
    token = wire.token(app)
    raw = json.dumps({"wechatid": "tester_01"}).encode()
    assert wire.post_raw("/wxa/bind_tester", raw, access_token=token)["errcode"] == 0


@pytest.mark.django_db(transaction=True)
def test_wechatpy_binds_and_unbinds_a_tester_unchanged(live_server, provision, make_identity):
    """B-2: wechatpy 1.8.18 pointed at our base URL."""
    from urllib.parse import urlencode
    from urllib.request import urlopen

    from wechatpy import WeChatClient
    from wechatpy.exceptions import WeChatClientException

    app = provision("personal")
    make_identity("tester_01")
    query = urlencode(
        {"grant_type": "client_credential", "appid": app.miniprogram.appid, "secret": app.secret}
    )
    with urlopen(f"{live_server.url}/cgi-bin/token?{query}") as answer:
        token = json.loads(answer.read())["access_token"]
    client = WeChatClient(app.miniprogram.appid, app.secret, access_token=token)
    client.wxa.API_BASE_URL = live_server.url + "/"
    result = client.wxa.bind_tester("tester_01")
    assert result["userstr"] == Member.objects.get(identity__wechat_id="tester_01").userstr
    with pytest.raises(WeChatClientException) as refused:
        client.wxa.bind_tester("tester_01")
    assert refused.value.errcode == 85004
    client.wxa.unbind_tester("tester_01")
    assert not Member.objects.filter(miniprogram=app.miniprogram).exists()
