"""wechat-api 12.2: wxamplink's `notify_users` and `show_profile` are 1 or 0 (numbers,
or their strings as the docs' example sends them); anything else is 40097 naming the
field, and no association is asked for. (OA-3)"""

from __future__ import annotations

import json

import pytest

from miniport.core.models import AuditEntry
from miniport.links.official_accounts.models import OfficialAccountLink

pytestmark = pytest.mark.django_db

LINK = "/cgi-bin/wxopen/wxamplink"


def post(client, path, body, **query):
    url = path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return json.loads(client.post(url, json.dumps(body), content_type="application/json").content)


@pytest.fixture
def token(client, make_oa):
    oa = make_oa()
    answer = json.loads(
        client.get(
            "/cgi-bin/token",
            {"grant_type": "client_credential", "appid": oa.appid, "secret": oa.secret},
        ).content
    )
    return answer["access_token"]


@pytest.fixture
def mp(provision):
    return provision("enterprise", certified=True).miniprogram


@pytest.mark.parametrize(
    "flags, field",
    [
        ({"notify_users": "yes", "show_profile": 2}, "notify_users"),
        ({"notify_users": 1, "show_profile": 2}, "show_profile"),
        ({"notify_users": "true", "show_profile": 0}, "notify_users"),
        ({"notify_users": 0, "show_profile": "-1"}, "show_profile"),
        ({"notify_users": "", "show_profile": 0}, "notify_users"),
        ({"notify_users": 1.5, "show_profile": 0}, "notify_users"),
    ],
)
def test_a_flag_other_than_1_or_0_is_40097_naming_it_and_nothing_is_asked(
    client, token, mp, flags, field
):
    audit_rows = AuditEntry.objects.count()
    answer = post(client, LINK, {"appid": mp.appid, **flags}, access_token=token)
    assert answer["errcode"] == 40097
    assert answer["errmsg"].startswith(f"invalid args: {field} must be 1 or 0")
    assert not OfficialAccountLink.objects.exists()
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize(
    "flags, stored",
    [
        ({"notify_users": 1, "show_profile": 0}, (True, False)),
        ({"notify_users": "0", "show_profile": "1"}, (False, True)),
        ({}, (False, False)),
    ],
)
def test_1_and_0_as_numbers_or_strings_are_taken(client, token, mp, flags, stored):
    answer = post(client, LINK, {"appid": mp.appid, **flags}, access_token=token)
    assert answer == {"errcode": 0, "errmsg": "ok"}
    link = OfficialAccountLink.objects.get()
    assert (link.notify_users, link.show_profile) == stored
