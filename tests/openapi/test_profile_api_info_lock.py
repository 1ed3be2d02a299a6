"""INF-1 over the wire: while a certification-path subject has no certification on
record, every information change answers 53203 ("cannot modify yet", wechat-api
7.5/7.6), not the generic 40097, and nothing changes.

Before activation the token endpoint already refuses (48001); the lock is met over the
wire when an active mini program's certification is not on record (withdrawn, lapsed).
"""

from __future__ import annotations

import pytest

from miniport.accounts.models import Subject
from miniport.miniprograms.services import profile
from tests.miniprograms.profile_support import image_bytes, snapshot
from tests.openapi.profile_support import ProfileApi


@pytest.fixture
def locked_api(wire, provision):
    provisioned = provision("government")
    api = ProfileApi(wire, provisioned)
    mp = api.miniprogram
    assert mp.subject.verification_method == "certification"
    Subject.objects.filter(pk=mp.subject_id).update(certified_at=None, certified_until=None)
    mp.subject.refresh_from_db()
    assert profile.info_lock(mp) is not None
    return api


def calls(api):
    return {
        "setnickname": ("/wxa/setnickname", {"nick_name": "认证前的名字", "license": api.upload()}),
        "modifysignature": ("/cgi-bin/account/modifysignature", {"signature": "认证前的介绍"}),
        "modifyheadimage": (
            "/cgi-bin/account/modifyheadimage",
            {"head_img_media_id": api.upload(image_bytes("PNG"))},
        ),
        "addcategory": (
            "/cgi-bin/wxopen/addcategory",
            {"categories": [{"first": 1, "second": 101}]},
        ),
    }


@pytest.mark.parametrize(
    "call", ["setnickname", "modifysignature", "modifyheadimage", "addcategory"]
)
def test_information_changes_without_certification_answer_53203(locked_api, call):
    """INF-1: 53203, nothing stored."""
    path, body = calls(locked_api)[call]
    before = snapshot(locked_api.miniprogram)
    result = locked_api.post(path, body)
    assert result["errcode"] == 53203, result
    assert snapshot(locked_api.miniprogram) == before
