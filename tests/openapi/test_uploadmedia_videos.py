"""wechat-api 4.13: /wxa/uploadmedia takes mp4 videos (at most submit.video_max_bytes,
10 MB by default) as well as images, tells them apart by content and answers
`type: "video"`; anything that is not an mp4 video is 40005 and nothing is stored.
submit_audit's preview_info takes review material only: images in pic_id_list, videos
in video_id_list (4.5). (VER-3)"""

from __future__ import annotations

import pytest

from miniport.core.models import AuditEntry
from miniport.miniprograms.services import media
from miniport.releases.models import Submission
from tests.openapi.code_api_support import (  # noqa: F401
    code_fixture,
    committed,
    state,
    submit,
)
from tests.openapi.review_media_support import (
    box,
    image,
    mp4_bytes,
    stored_files,
    temporary_upload,
    uploadmedia,
)


def _upload(code, data: bytes, name: str = "clip.mp4", content_type: str = "video/mp4") -> dict:
    return uploadmedia(code.wire.client, code.token, data, name, content_type)


def test_uploadmedia_takes_an_mp4_video_and_answers_its_type(code):
    answer = _upload(code, mp4_bytes())
    assert answer["errcode"] == 0 and answer["type"] == "video" and answer["mediaid"]
    stored = media.media_get(
        code.miniprogram, answer["mediaid"], origins=(media.REVIEW,), types=(media.VIDEO,)
    )
    assert stored.data == mp4_bytes() and stored.origin == media.REVIEW


@pytest.mark.parametrize("brand", [b"isom", b"mp42", b"M4V ", b"avc1"])
def test_uploadmedia_takes_each_brand_of_the_mp4_family(code, brand):
    answer = _upload(code, mp4_bytes(brand=brand), name="clip.bin", content_type="application/x")
    assert (answer["errcode"], answer["type"]) == (0, "video")


def test_a_video_up_to_the_policy_size_is_taken_and_one_byte_more_is_40006(code, override):
    exact = mp4_bytes()
    override("submit.video_max_bytes", len(exact))
    assert _upload(code, exact)["type"] == "video"
    before, files = state(), stored_files()
    answer = _upload(code, mp4_bytes(pad=1))
    assert answer["errcode"] == 40006 and "invalid meida size" in answer["errmsg"]
    assert state() == before and stored_files() == files


def test_a_video_over_ten_megabytes_is_refused_with_40006_by_default(code):
    answer = _upload(code, mp4_bytes(pad=10 * 1024 * 1024))
    assert answer["errcode"] == 40006
    assert stored_files() == [] and not AuditEntry.objects.filter(action="media.upload").exists()


def test_the_image_size_rule_still_bounds_images_only(code, override):
    override("submit.media_max_bytes", 10)
    assert _upload(code, mp4_bytes())["type"] == "video"
    assert _upload(code, image(), "shot.png", "image/png")["errcode"] == 40006


@pytest.mark.parametrize(
    "data",
    [
        mp4_bytes(brand=b"qt  "),
        mp4_bytes(brand=b"3gp4"),
        mp4_bytes(brand=b"M4A "),
        mp4_bytes(handler=b"soun"),
        mp4_bytes(mdat=False),
        mp4_bytes()[:-5],
        mp4_bytes() + b"trailing",
        box(b"ftyp", b"isom\0\0\0\0") + box(b"mdat", bytes(32)),
        b"\x00\x00\x00\x18ftypmp42 not really a video",
        b"\x00\x00\x00\x08ftyp",
        image("BMP"),
    ],
    ids=[
        "quicktime",
        "3gpp",
        "audio-brand",
        "audio-track",
        "no-media-data",
        "truncated",
        "trailing-bytes",
        "no-movie-box",
        "ftyp-then-text",
        "empty-ftyp",
        "bmp-image",
    ],
)
def test_uploadmedia_refuses_what_is_not_an_mp4_video_or_review_image_with_40005(code, data):
    before = state()
    answer = _upload(code, data)
    assert answer["errcode"] == 40005 and "invalid file type" in answer["errmsg"]
    assert state() == before and stored_files() == []


# --- submit_audit's preview_info --------------------------------------------------------


def test_a_video_id_in_video_id_list_is_kept_with_the_submission(code):
    committed(code)
    video = _upload(code, mp4_bytes())["mediaid"]
    picture = _upload(code, image(), "shot.png", "image/png")["mediaid"]
    answer = submit(code, preview_info={"pic_id_list": [picture], "video_id_list": [video]})
    assert answer["errcode"] == 0, answer
    shot, clip = Submission.objects.get(auditid=answer["auditid"]).screenshots
    assert media.kept_read(shot)[1] == "PNG"
    assert media.kept_is_video(clip) and media.kept_read(clip) is None
    assert media.kept_read(clip, allow_video=True) == (mp4_bytes(), "MP4")


@pytest.mark.parametrize(
    ("kind", "slot"),
    [("video", "pic_id_list"), ("image", "video_id_list"), ("temporary", "pic_id_list")],
    ids=["video-as-picture", "image-as-video", "temporary-image-as-picture"],
)
def test_a_media_id_of_the_wrong_kind_in_preview_info_is_40007_and_nothing_is_submitted(
    code, kind, slot
):
    """wechat-api 4.5: preview_info's ids are /wxa/uploadmedia's, pictures and videos in
    their own lists; /cgi-bin/media/upload's temporary images are not review material."""
    committed(code)
    if kind == "video":
        media_id = _upload(code, mp4_bytes())["mediaid"]
    elif kind == "image":
        media_id = _upload(code, image(), "shot.png", "image/png")["mediaid"]
    else:
        media_id = temporary_upload(code.wire.client, code.token, image())["media_id"]
    before, files = state(), stored_files()
    answer = submit(code, preview_info={slot: [media_id]})
    assert answer["errcode"] == 40007, answer
    assert state() == before and stored_files() == files


def test_feedback_stuff_takes_images_of_either_upload_but_no_video(code):
    """wechat-api 4.5: feedback_stuff is images; the reference names no upload for them."""
    committed(code)
    video = _upload(code, mp4_bytes())["mediaid"]
    before, files = state(), stored_files()
    assert submit(code, feedback_stuff=video)["errcode"] == 40007
    assert state() == before and stored_files() == files
    review_image = _upload(code, image(), "shot.png", "image/png")["mediaid"]
    temporary = temporary_upload(code.wire.client, code.token, image())["media_id"]
    answer = submit(code, feedback_stuff=f"{review_image}|{temporary}")
    assert answer["errcode"] == 0, answer
    assert len(Submission.objects.get(auditid=answer["auditid"]).screenshots) == 2
