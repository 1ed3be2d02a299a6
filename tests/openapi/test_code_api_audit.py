"""Review through the server API (wechat-api 4.2..4.9; VER-2..VER-5): the experience
version's QR code and pages, the categories submit_audit accepts, submit_audit, the
audit statuses of 4.6, undocodeaudit."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from miniport.core import policy
from miniport.miniprograms.services import material, media
from miniport.releases.models import Submission, SubmissionState
from tests.openapi.code_api_support import (
    ITEM,
    approve,
    code_fixture,  # noqa: F401 - the "code" fixture
    committed,
    delay,
    make_code_app,
    reject,
    state,
    submit,
    submitted,
)
from tests.releases.version_support import TOOLS

pytestmark = pytest.mark.django_db


# --- the experience version: QR code, pages, categories ------------------------------------


def _decoded(image: bytes) -> str:
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(image)))
    return found.text


def test_the_qr_code_is_a_jpeg_of_the_trial_launch_page(code):
    """VER-2, wechat-api 4.2: get_qrcode answers the experience version's QR code as raw
    JPEG bytes named QRCode.jpg, which a reader decodes to the trial page."""
    committed(code)
    response = code.raw("/wxa/get_qrcode", path="pages/logs/logs?id=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="QRCode.jpg"'
    assert response.content.startswith(b"\xff\xd8\xff")
    expected = material.trial_url(code.miniprogram) + "?path=pages%2Flogs%2Flogs%3Fid%3D1"
    assert _decoded(response.content) == expected
    plain = code.raw("/wxa/get_qrcode")
    assert _decoded(plain.content) == material.trial_url(code.miniprogram)


def test_the_qr_code_is_also_answered_to_a_posted_json_path(code):
    """wechat-api note 10: some SDKs POST {"path": ...} to get_qrcode."""
    committed(code)
    response = code.wire.client.post(
        f"/wxa/get_qrcode?access_token={code.token}",
        data=b'{"path": "pages/logs/logs"}',
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    expected = material.trial_url(code.miniprogram) + "?path=pages%2Flogs%2Flogs"
    assert _decoded(response.content) == expected


def test_the_qr_code_before_any_commit_is_a_json_error_86001(code):
    response = code.raw("/wxa/get_qrcode")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errcode"] == 86001


def test_get_page_lists_the_experience_versions_pages(code):
    assert code.get("/wxa/get_page")["errcode"] == 86001
    committed(code)
    answer = code.get("/wxa/get_page")
    assert answer["errcode"] == 0
    assert answer["page_list"] == ["pages/index/index", "pages/logs/logs"]


def test_get_category_lists_the_approved_categories(code):
    answer = code.get("/wxa/get_category")
    assert answer["errcode"] == 0
    assert answer["category_list"] == [
        {
            "first_class": answer["category_list"][0]["first_class"],
            "second_class": answer["category_list"][0]["second_class"],
            "first_id": TOOLS[0],
            "second_id": TOOLS[1],
        }
    ]
    assert answer["category_list"][0]["first_class"]


# --- submit_audit -----------------------------------------------------------------------


def upload_media(code, data: bytes, name: str = "shot.png", content_type: str = "image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return code.wire.client.post(
        f"/wxa/uploadmedia?access_token={code.token}",
        {"media": SimpleUploadedFile(name, data, content_type=content_type)},
    ).json()


def png_bytes(size=(60, 120), pad: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, format="PNG")
    return out.getvalue() + b"\0" * pad


def test_submit_audit_sends_the_experience_version_to_the_desk(code):
    """VER-3: the submission carries the item groups and the description; the answer is
    the audit id, whose status is 2 (in review). A preview image uploaded with
    /wxa/uploadmedia is kept with the submission, for the reviewer to see."""
    version = committed(code)
    uploaded = upload_media(code, png_bytes())
    assert uploaded["errcode"] == 0 and uploaded["type"] == "image"
    answer = submit(code, feedback_info="", preview_info={"pic_id_list": [uploaded["mediaid"]]})
    assert answer["errcode"] == 0 and isinstance(answer["auditid"], int)
    submission = Submission.objects.get(auditid=answer["auditid"])
    assert submission.dev_version == version and submission.description == "first version"
    assert submission.items[0]["first_id"] == TOOLS[0]
    [kept] = submission.screenshots
    data, fmt = media.kept_read(kept)
    assert fmt == "PNG" and Image.open(io.BytesIO(data)).size == (60, 120)
    assert code.post("/wxa/get_auditstatus", {"auditid": answer["auditid"]}) == {
        "errcode": 0,
        "errmsg": "ok",
        "status": 2,
    }


def test_a_preview_media_id_that_was_never_uploaded_is_40007_and_nothing_is_submitted(code):
    committed(code)
    before = state()
    answer = submit(code, preview_info={"pic_id_list": ["64b0f000_" + "a" * 32]})
    assert answer["errcode"] == 40007
    assert state() == before


@pytest.mark.parametrize(
    ("data", "name", "content_type", "expected"),
    [
        (b"", "x.png", "image/png", 40005),
        (b"\x00\x00\x00\x18ftypmp42 not really a video", "v.mp4", "video/mp4", 40005),
        (b"GIF89a broken", "x.gif", "image/gif", 40005),
    ],
    ids=["empty", "video", "damaged"],
)
def test_uploadmedia_refuses_what_is_not_an_image(code, data, name, content_type, expected):
    """wechat-api 4.13: 40005 invalid file type."""
    assert upload_media(code, data, name, content_type)["errcode"] == expected


def test_uploadmedia_refuses_an_image_over_two_megabytes_with_40006(code):
    answer = upload_media(code, png_bytes(pad=2 * 1024 * 1024))
    assert answer["errcode"] == 40006


def test_uploadmedia_without_a_file_is_41005(code):
    answer = code.wire.client.post(f"/wxa/uploadmedia?access_token={code.token}", {}).json()
    assert answer["errcode"] == 41005


def test_submit_audit_before_any_commit_is_refused_with_85086(code):
    before = state()
    assert submit(code)["errcode"] == 85086
    assert state() == before


def test_a_second_submission_while_one_is_in_review_is_refused_with_85009(code):
    submitted(code)
    before = state()
    assert submit(code)["errcode"] == 85009
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"item_list": []}, 85023),
        ({"item_list": [ITEM] * 6}, 85023),
        ({"item_list": [{}]}, 85010),
        ({"item_list": [{**ITEM, "tag": " ".join(f"t{n}" for n in range(11))}]}, 85006),
        ({"item_list": [{**ITEM, "tag": "x" * 21}]}, 85006),
        ({"item_list": [{**ITEM, "title": "题" * 33}]}, 85011),
        ({"item_list": [{**ITEM, "address": "pages/nowhere/nowhere"}]}, 85007),
        ({"item_list": [{**ITEM, "first_id": 999, "second_id": 998}]}, 85008),
        ({"version_desc": "长" * 5000}, 85051),
        ({"preview_info": "x"}, 85092),
        ({"preview_info": {"pic_id_list": "m1"}}, 85092),
        ({"preview_info": {"pic_id_list": [{"id": 1}]}}, 85092),
        ({"preview_info": {"pic_id_list": [f"m{n}" for n in range(20)]}}, 85093),
        ({"preview_info": {"pic_id_list": ["m1"] * 3, "video_id_list": ["v1"] * 3}}, 85093),
    ],
    ids=[
        "none",
        "six",
        "empty",
        "eleven-tags",
        "long-tag",
        "title",
        "page",
        "category",
        "desc",
        "preview-not-an-object",
        "preview-list-not-a-list",
        "preview-id-not-a-string",
        "twenty-pictures",
        "pictures-and-videos",
    ],
)
def test_a_wrong_submission_is_refused_with_its_errcode_and_nothing_changes(
    code, changes, expected
):
    """VER-3: 1..5 item groups of a page of the package and an approved category."""
    committed(code)
    before = state()
    answer = submit(code, **changes)
    assert answer["errcode"] == expected, answer
    assert state() == before


def test_the_monthly_submit_quota_is_refused_with_85085(code, override):
    override("submit.per_month", 1)
    submission = submitted(code)
    assert code.get("/wxa/undocodeaudit")["errcode"] == 0
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.WITHDRAWN
    before = state()
    assert submit(code)["errcode"] == 85085
    assert state() == before


# --- audit statuses (4.6) ---------------------------------------------------------------


def test_the_audit_status_follows_the_desk(code):
    """VER-5: 0 approved, 1 rejected with the reason, 4 delayed with the reason."""
    first = submitted(code, "2.0.0")
    delay(first, ["审核排队中"])
    delayed = code.post("/wxa/get_auditstatus", {"auditid": first.auditid})
    assert delayed["status"] == 4 and "审核排队中" in delayed["reason"]
    reject(first, ["页面内容不完整"])
    rejected = code.post("/wxa/get_auditstatus", {"auditid": str(first.auditid)})
    assert rejected["status"] == 1 and "页面内容不完整" in rejected["reason"]
    assert rejected["screenshot"] == ""
    second = submitted(code, "2.0.1")
    approve(second)
    assert code.post("/wxa/get_auditstatus", {"auditid": second.auditid}) == {
        "errcode": 0,
        "errmsg": "ok",
        "status": 0,
    }


def test_the_latest_audit_status_names_the_version_and_time(code):
    assert code.get("/wxa/get_latest_auditstatus")["errcode"] == 85012
    submission = submitted(code, "2.0.0")
    latest = code.get("/wxa/get_latest_auditstatus")
    assert latest == {
        "errcode": 0,
        "errmsg": "ok",
        "auditid": submission.auditid,
        "status": 2,
        "user_version": "2.0.0",
        "user_desc": "commit 2.0.0",
        "submit_audit_time": int(submission.submitted_at.timestamp()),
    }


def test_an_audit_id_of_another_mini_program_is_refused_with_85012(code, provision, wire):
    other = make_code_app(provision, wire)
    theirs = submitted(other)
    for auditid in (theirs.auditid, 0, "abc"):
        assert code.post("/wxa/get_auditstatus", {"auditid": auditid})["errcode"] == 85012


def test_a_missing_audit_id_is_named_in_the_85012_message(code):
    for body in ({}, {"auditid": ""}):
        answer = code.post("/wxa/get_auditstatus", body)
        assert answer["errcode"] == 85012
        assert answer["errmsg"].startswith("invalid audit id: - ")


# --- undocodeaudit ----------------------------------------------------------------------


def test_undo_withdraws_the_submission_in_review_to_status_3(code):
    """VER-5: a withdrawn submission reads status 3 and a new one may be submitted."""
    submission = submitted(code)
    assert code.get("/wxa/undocodeaudit") == {"errcode": 0, "errmsg": "ok"}
    assert code.post("/wxa/get_auditstatus", {"auditid": submission.auditid})["status"] == 3
    assert submit(code)["errcode"] == 0


def test_undo_with_nothing_in_review_is_refused_with_85019(code):
    before = state()
    assert code.get("/wxa/undocodeaudit")["errcode"] == 85019
    assert state() == before


def test_undo_beyond_the_daily_limit_is_refused_with_87013(code, override):
    override("submit.undo_per_day", 1)
    submitted(code)
    assert code.get("/wxa/undocodeaudit")["errcode"] == 0
    assert submit(code)["errcode"] == 0
    before = state()
    assert code.get("/wxa/undocodeaudit")["errcode"] == 87013
    assert state() == before


# --- speed-up and quota (wechat-api 4.13) ----------------------------------------------------


def test_queryquota_counts_this_months_submissions_and_speed_ups(code):
    limit = policy.value("submit.per_month")
    speedups = policy.value("submit.speedups_per_month")
    assert code.get("/wxa/queryquota") == {
        "errcode": 0,
        "errmsg": "ok",
        "rest": limit,
        "limit": limit,
        "speedup_rest": speedups,
        "speedup_limit": speedups,
    }
    submission = submitted(code)
    assert code.post("/wxa/speedupaudit", {"auditid": submission.auditid})["errcode"] == 0
    quota = code.get("/wxa/queryquota")
    assert (quota["rest"], quota["speedup_rest"]) == (limit - 1, speedups - 1)


def test_a_sped_up_submission_is_marked_for_the_reviewer_once(code):
    from django.test import Client

    from miniport.accounts.models import Account, AccountKind

    staff = Account.objects.create_user(
        "desk@miniport.example",
        "desk-pass-1",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    staff_client = Client()
    staff_client.force_login(staff)
    submission = submitted(code)
    assert code.post("/wxa/speedupaudit", {"auditid": submission.auditid}) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    page = staff_client.get(f"/ops/reviews/{submission.review_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Speed-up" in page.content.decode()
    before = state()
    assert code.post("/wxa/speedupaudit", {"auditid": submission.auditid})["errcode"] == 89404
    assert state() == before


def test_speed_up_beyond_the_months_quota_is_89405(code, override):
    override("submit.speedups_per_month", 0)
    submission = submitted(code)
    before = state()
    assert code.post("/wxa/speedupaudit", {"auditid": submission.auditid})["errcode"] == 89405
    assert state() == before


def test_speed_up_of_a_submission_not_in_review_or_not_the_callers_is_89402(code, provision, wire):
    other = make_code_app(provision, wire)
    theirs = submitted(other)
    assert code.post("/wxa/speedupaudit", {"auditid": theirs.auditid})["errcode"] == 89402
    mine = submitted(code)
    assert code.get("/wxa/undocodeaudit")["errcode"] == 0
    before = state()
    assert code.post("/wxa/speedupaudit", {"auditid": mine.auditid})["errcode"] == 89402
    assert code.post("/wxa/speedupaudit", {"auditid": "x"})["errcode"] == 89402
    assert state() == before


def test_the_code_privacy_info_lists_the_privacy_interfaces_the_experience_version_calls(code):
    """wechat-api 4.13: without_conf_list names what the code calls; nothing committed is
    85086."""
    from tests.openapi.code_api_support import add_template, commit, upload_draft
    from tests.releases.zips import app_files, make_zip

    assert code.get("/wxa/security/get_code_privacy_info")["errcode"] == 85086
    files = app_files()
    files["pages/index/index.js"] = (
        b"Page({onLoad() { wx.getLocation({}); wx.chooseAddress({}) }})\n"
    )
    template_id = add_template(code, upload_draft(code, "1.0.0", data=make_zip(files)))
    assert commit(code, template_id, "2.0.0")["errcode"] == 0
    answer = code.get("/wxa/security/get_code_privacy_info")
    assert answer["errcode"] == 0 and answer["without_auth_list"] == []
    assert answer["without_conf_list"] == ["chooseAddress", "getLocation"]
