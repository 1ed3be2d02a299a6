"""wechat-api 5.1: `userstr` is an opaque per-person id. Binding a person, unbinding
them and binding them again gives the same userstr; another mini program's userstr of
the same person is another one; rows stored with an earlier random userstr keep it and
still unbind by it. (MEM-2)"""

from __future__ import annotations

import pytest

from miniport.miniprograms.models import Member


@pytest.fixture
def api(wire, app):
    token = wire.token(app)

    class Api:
        miniprogram = app.miniprogram

        def post(self, path, body):
            return wire.post(path, body, access_token=token)

    return Api()


def test_binding_the_same_person_again_gives_the_same_userstr(api, make_identity):
    make_identity("probe_user")
    first = api.post("/wxa/bind_tester", {"wechatid": "probe_user"})["userstr"]
    assert api.post("/wxa/unbind_tester", {"wechatid": "probe_user"})["errcode"] == 0
    second = api.post("/wxa/bind_tester", {"wechatid": "probe_user"})["userstr"]
    assert first and second == first
    assert api.post("/wxa/memberauth", {"action": "get_experiencer"})["members"] == [
        {"userstr": first}
    ]
    assert api.post("/wxa/unbind_tester", {"userstr": second})["errcode"] == 0
    assert not Member.objects.filter(miniprogram=api.miniprogram).exists()


def test_two_people_and_two_mini_programs_have_different_userstrs(
    api, make_identity, wire, provision
):
    make_identity("probe_user")
    make_identity("probe_user_2")
    mine = api.post("/wxa/bind_tester", {"wechatid": "probe_user"})["userstr"]
    other_person = api.post("/wxa/bind_tester", {"wechatid": "probe_user_2"})["userstr"]
    other_app = provision("personal")
    token = wire.token(other_app)
    theirs = wire.post("/wxa/bind_tester", {"wechatid": "probe_user"}, access_token=token)
    assert len({mine, other_person, theirs["userstr"]}) == 3


def test_a_row_stored_with_an_earlier_random_userstr_still_unbinds_by_it(api, make_identity):
    make_identity("probe_user")
    api.post("/wxa/bind_tester", {"wechatid": "probe_user"})
    Member.objects.filter(miniprogram=api.miniprogram).update(userstr="s31yEarlierRandomValue")
    assert api.post("/wxa/memberauth", {"action": "get_experiencer"})["members"] == [
        {"userstr": "s31yEarlierRandomValue"}
    ]
    result = api.post("/wxa/unbind_tester", {"userstr": "s31yEarlierRandomValue"})
    assert result == {"errcode": 0, "errmsg": "ok"}
    assert not Member.objects.filter(miniprogram=api.miniprogram).exists()
