"""The template library and /wxa/commit (wechat-api 4.1, 13; VER-1, VER-2): drafts are
development versions, a template keeps a draft's package, a commit uploads it with the
caller's ext.json as a development version and makes it the experience version."""

from __future__ import annotations

import json

import pytest

from miniport.core.errors import PlatformError
from miniport.releases.errors import ReleaseError
from miniport.releases.models import DevVersion, Experience, Template, VersionSource
from tests.openapi.code_api_support import (
    add_template,
    code_fixture,  # noqa: F401 - the "code" fixture
    commit,
    ext_json_of,
    make_code_app,
    state,
    upload_draft,
)

pytestmark = pytest.mark.django_db


def errcode(member: ReleaseError) -> int:
    return PlatformError(member).errcode


def test_the_draft_list_shows_uploaded_versions_and_not_template_commits(code):
    """VER-1: the drafts are the library's development versions uploaded by developers."""
    draft = upload_draft(code, "1.0.0")
    template_id = add_template(code, draft)
    assert commit(code, template_id, "2.0.0")["errcode"] == 0
    answer = code.get("/wxa/gettemplatedraftlist")
    assert answer["errcode"] == 0
    assert [row["draft_id"] for row in answer["draft_list"]] == [draft.pk]
    row = answer["draft_list"][0]
    assert row["user_version"] == "1.0.0" and row["user_desc"] == "draft 1.0.0"
    assert row["source_miniprogram_appid"] == code.appid
    assert row["source_miniprogram"] == code.miniprogram.name
    assert row["developer"] and row["create_time"] == int(draft.uploaded_at.timestamp())


def test_a_draft_added_to_the_library_is_listed_as_a_template(code):
    draft = upload_draft(code, "1.0.0")
    template_id = add_template(code, draft, template_type=1)
    answer = code.get("/wxa/gettemplatelist")
    assert answer["errcode"] == 0
    (row,) = answer["template_list"]
    assert row["template_id"] == template_id and row["template_type"] == 1
    assert row["user_version"] == "1.0.0" and row["source_miniprogram_appid"] == code.appid
    assert {"audit_scene", "audit_status", "reason", "developer", "create_time"} <= set(row)
    assert code.get("/wxa/gettemplatelist", template_type=0)["template_list"] == []
    assert len(code.get("/wxa/gettemplatelist", template_type=1)["template_list"]) == 1
    assert code.get("/wxa/gettemplatelist", template_type=7)["errcode"] == 40097


def test_commit_uploads_the_template_with_the_callers_ext_json_as_the_experience_version(code):
    """VER-1, VER-2: commit creates a development version (source "template") whose
    package carries ext.json, and makes it the experience version."""
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    ext = {"ext": {"shop": 7}, "window": {"navigationBarTitleText": "店铺"}}
    assert commit(code, template_id, "2.0.0", ext) == {"errcode": 0, "errmsg": "ok"}
    version = DevVersion.objects.filter(miniprogram=code.miniprogram).latest("id")
    assert version.source == VersionSource.TEMPLATE and version.template_id == template_id
    assert version.user_version == "2.0.0" and version.user_desc == "commit 2.0.0"
    assert Experience.objects.get(miniprogram=code.miniprogram).dev_version == version
    written = ext_json_of(version)
    assert written["ext"] == {"shop": 7} and written["window"]["navigationBarTitleText"] == "店铺"
    assert written["extAppid"] == code.appid and written["extEnable"] is True
    info = code.post("/wxa/getversioninfo", {})
    assert info["exp_info"]["exp_version"] == "2.0.0"
    assert info["exp_info"]["exp_desc"] == "commit 2.0.0"
    assert "release_info" not in info


def test_a_template_id_sent_as_a_string_is_accepted(code):
    template_id = add_template(code, upload_draft(code))
    answer = code.post(
        "/wxa/commit",
        {"template_id": str(template_id), "ext_json": "{}", "user_version": "3", "user_desc": ""},
    )
    assert answer["errcode"] == 0


def test_the_library_is_shared_by_the_mini_programs_of_one_administrator(code, provision, wire):
    """A template of one mini program is usable by its administrator's other mini
    programs and by no one else."""
    template_id = add_template(code, upload_draft(code))
    admin_wechat_id = code.miniprogram.admin_identity.wechat_id
    sibling = make_code_app(provision, wire, admin_wechat_id=admin_wechat_id)
    stranger = make_code_app(provision, wire)
    listed = sibling.get("/wxa/gettemplatelist")["template_list"]
    assert [row["template_id"] for row in listed] == [template_id]
    assert commit(sibling, template_id)["errcode"] == 0
    assert stranger.get("/wxa/gettemplatelist")["template_list"] == []
    assert stranger.get("/wxa/gettemplatedraftlist")["draft_list"] == []
    before = state()
    assert commit(stranger, template_id)["errcode"] == errcode(ReleaseError.TEMPLATE_NOT_FOUND)
    assert state() == before


@pytest.mark.parametrize(
    ("ext_json", "expected"),
    [
        ({"ext": 1}, ReleaseError.EXT_JSON_INVALID),
        ({"extAppid": "wx0000000000000000"}, ReleaseError.EXT_JSON_INVALID),
        ("[1, 2]", ReleaseError.EXT_JSON_PARSE),
        ("{not json", ReleaseError.EXT_JSON_PARSE),
        ('{"ext": {"x": NaN}}', ReleaseError.EXT_JSON_PARSE),
        ({"pages": ["pages/missing/missing"]}, ReleaseError.EXT_JSON_PATH_MISSING),
        ({"extPages": {"pages/missing/missing": {}}}, ReleaseError.EXT_JSON_PATH_MISSING),
        (
            {
                "pages": ["pages/index/index"],
                "tabBar": {"list": [{"pagePath": "pages/logs/logs", "text": "日志"}]},
            },
            ReleaseError.EXT_JSON_TABBAR_PAGE,
        ),
        ({"pages": []}, ReleaseError.EXT_JSON_PAGES_EMPTY),
        ({"requiredPrivateInfos": ["getLocation", "bogusApi"]}, ReleaseError.PRIVATE_INFO_UNKNOWN),
        ({"requiredPrivateInfos": [5]}, ReleaseError.PRIVATE_INFO_UNKNOWN),
        (
            {"requiredPrivateInfos": ["getFuzzyLocation", "chooseAddress", "getLocation"]},
            ReleaseError.PRIVATE_INFO_EXCLUSIVE,
        ),
    ],
    ids=[
        "ext-not-object",
        "other-appid",
        "array",
        "unparseable",
        "nan",
        "page",
        "extpage",
        "tabbar",
        "empty",
        "private-info-unknown",
        "private-info-not-a-name",
        "private-info-exclusive",
    ],
)
def test_a_wrong_ext_json_is_refused_and_nothing_changes(code, ext_json, expected):
    template_id = add_template(code, upload_draft(code))
    before = state()
    text = ext_json if isinstance(ext_json, str) else json.dumps(ext_json)
    answer = code.post(
        "/wxa/commit",
        {"template_id": template_id, "ext_json": text, "user_version": "2", "user_desc": ""},
    )
    assert answer["errcode"] == errcode(expected), answer
    assert state() == before


def test_ext_json_sent_as_an_object_rather_than_a_string_is_refused(code):
    template_id = add_template(code, upload_draft(code))
    before = state()
    answer = code.post(
        "/wxa/commit",
        {"template_id": template_id, "ext_json": {"ext": {}}, "user_version": "2", "user_desc": ""},
    )
    assert answer["errcode"] == 85048
    assert state() == before


def test_a_standard_template_takes_only_extappid_ext_and_window(code):
    template_id = add_template(code, upload_draft(code), template_type=1)
    before = state()
    refused = commit(code, template_id, ext={"ext": {}, "pages": ["pages/index/index"]})
    assert refused["errcode"] == 9402203
    assert state() == before
    assert commit(code, template_id, ext={"ext": {"a": 1}, "window": {}})["errcode"] == 0


def test_commit_of_an_unknown_template_is_refused_with_85014(code):
    before = state()
    assert commit(code, 999999)["errcode"] == 85014
    assert commit(code, "abc")["errcode"] == 85014
    # thousands of digits: past what Python reads as one number (it answered -1)
    assert commit(code, "9" * 5000)["errcode"] == 85014
    assert state() == before


def test_commit_without_a_version_number_is_refused_and_nothing_changes(code):
    template_id = add_template(code, upload_draft(code))
    before = state()
    assert commit(code, template_id, version="  ")["errcode"] == 40097
    assert state() == before


def test_adding_an_unknown_draft_is_refused_with_85064(code, provision, wire):
    stranger_draft = upload_draft(make_code_app(provision, wire))
    # The app's own draft, its number written in Arabic-Indic digits (int() reads them).
    own = str(upload_draft(code).pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    before = state()
    for draft_id in (999999, "x", stranger_draft.pk, own, "+1", 10**400):
        answer = code.post("/wxa/addtotemplate", {"draft_id": draft_id})
        assert answer["errcode"] == 85064, answer
    assert state() == before


def test_a_full_library_refuses_another_template_with_85065(code, override):
    override("template.max_per_library", 1)
    draft = upload_draft(code)
    add_template(code, draft)
    before = state()
    assert code.post("/wxa/addtotemplate", {"draft_id": draft.pk})["errcode"] == 85065
    assert state() == before


def test_a_deleted_template_leaves_the_library_and_its_commits_stay(code):
    template_id = add_template(code, upload_draft(code))
    assert commit(code, template_id)["errcode"] == 0
    assert code.post("/wxa/deletetemplate", {"template_id": template_id})["errcode"] == 0
    assert not Template.objects.filter(pk=template_id).exists()
    assert code.get("/wxa/gettemplatelist")["template_list"] == []
    assert DevVersion.objects.filter(template_id=template_id).exists()
    before = state()
    assert code.post("/wxa/deletetemplate", {"template_id": template_id})["errcode"] == 85064
    assert commit(code, template_id)["errcode"] == 85014
    assert state() == before


def test_declared_location_interfaces_are_accepted(code):
    """wechat-api 4.1: requiredPrivateInfos naming location interfaces, the precise and
    the fuzzy one not together, commits (85310 and 85311 refuse the others)."""
    template_id = add_template(code, upload_draft(code))
    declared = ["getFuzzyLocation", "chooseLocation", "onLocationChange"]
    assert commit(code, template_id, ext={"requiredPrivateInfos": declared})["errcode"] == 0


def test_an_ext_json_with_a_long_repetitive_value_is_committed(code):
    """The platform writes ext.json itself: its compressibility is no zip bomb's mark."""
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    ext = {"ext": {"k": "x" * 200_000}}
    assert commit(code, template_id, "2.0.0", ext=ext)["errcode"] == 0
    version = DevVersion.objects.get(miniprogram=code.miniprogram, user_version="2.0.0")
    assert ext_json_of(version)["ext"] == ext["ext"]
