"""VER-3 with wechat-api 4.13's review videos: a submission whose preview material
holds an mp4 video shows it to the reviewer as a video with a download link, served
from its kept copy; the image and video keys never cross."""

from __future__ import annotations

import pytest

from miniport.miniprograms.services import media
from miniport.review.models import Review
from tests.openapi.review_media_support import image, mp4_bytes
from tests.releases.version_support import (  # noqa: F401
    app_fixture,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db


def _kept(app, data: bytes, media_type: str) -> str:
    mp = app.miniprogram
    uploaded = media.media_upload(
        actor=app.developer_actor,
        miniprogram=mp,
        upload=data,
        media_type=media_type,
        origin=media.REVIEW,
        max_bytes=len(data),
    )
    with media.Keeper(mp) as keeper:
        return keeper.keep(
            media.media_get(mp, uploaded.media_id, origins=media.ORIGINS, types=(media_type,)),
            field="preview_info",
        )


def test_the_reviewer_sees_a_preview_video_beside_the_screenshots(staff_client, app):
    shot, clip = _kept(app, image(), media.IMAGE), _kept(app, mp4_bytes(), media.VIDEO)
    submission = submit(app, upload(app, "3.0.0"), screenshots=[shot, clip])
    review = Review.objects.get(pk=submission.review_id)
    response = staff_client.get(f"/ops/reviews/{review.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    image_url = f"/ops/reviews/{review.pk}/documents/screenshot-0/"
    video_url = f"/ops/reviews/{review.pk}/documents/video-1/"
    assert f'<img src="{image_url}"' in html
    assert f'<video src="{video_url}"' in html and f'<a href="{video_url}" download>' in html
    assert "Preview video 2" in html
    served = staff_client.get(video_url)
    assert served.status_code == 200 and served.content == mp4_bytes()
    assert served["Content-Type"] == "video/mp4"
    for key in ("screenshot-1", "video-0", "video-2", "video-x"):
        assert staff_client.get(f"/ops/reviews/{review.pk}/documents/{key}/").status_code == 404


def test_the_review_page_names_the_preview_video_in_chinese(staff_client, app):
    clip = _kept(app, mp4_bytes(), media.VIDEO)
    submission = submit(app, upload(app, "3.0.0"), screenshots=[clip])
    review = Review.objects.get(pk=submission.review_id)
    response = staff_client.get(f"/ops/reviews/{review.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and "预览视频 1" in response.content.decode()
