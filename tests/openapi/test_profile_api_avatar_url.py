"""INF-4 / INF-8: getaccountbasicinfo's head_image_url is a working, public URL of the
current avatar; the public avatar route serves nothing else."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from miniport.miniprograms.services import avatar
from tests.miniprograms.profile_support import actor_of, fresh, image_bytes
from tests.openapi.profile_support import personal_api_fixture  # noqa: F401


def set_avatar(api) -> str:
    """Change the avatar over the wire; the head_image_url then reported."""
    media_id = api.upload(image_bytes("JPEG", (500, 500)))
    assert api.post("/cgi-bin/account/modifyheadimage", {"head_img_media_id": media_id}) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    return api.get("/cgi-bin/account/getaccountbasicinfo")["head_image_info"]["head_image_url"]


def test_the_head_image_url_answers_200_with_the_avatar(personal_api):
    """INF-4: anyone (no session, no token) fetches the image the URL names."""
    url = set_avatar(personal_api)
    assert url.startswith(settings.SITE_URL)
    response = Client().get(urlsplit(url).path)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    body = b"".join(response.streaming_content)
    with default_storage.open(fresh(personal_api.miniprogram).avatar.name, "rb") as handle:
        assert body == handle.read()
    assert Image.open(io.BytesIO(body)).size == (640, 640)


def test_a_replaced_avatar_is_no_longer_served(personal_api, django_capture_on_commit_callbacks):
    """INF-4: only a mini program's current avatar is public."""
    with django_capture_on_commit_callbacks(execute=True):
        old = set_avatar(personal_api)
        avatar.avatar_change(
            actor=actor_of(personal_api.miniprogram),
            miniprogram=personal_api.miniprogram,
            upload=image_bytes("PNG"),
        )
    assert Client().get(urlsplit(old).path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/avatars/../kept/x.png",
        "/media/avatars/%2e%2e%2fkept%2fx.png",
        "/media/avatars/..%2Fmedia%2Fx",
        "/media/avatars/stray.png",
        "/media/avatars/stray.txt",
        "/media/media/x",
        "/media/kept/x.png",
    ],
)
def test_the_public_avatar_route_serves_nothing_but_current_avatars(db, path):
    """Paths outside the avatars folder, and files no mini program holds, are 404."""
    default_storage.save("avatars/stray.png", ContentFile(image_bytes("PNG")))
    default_storage.save("kept/x.png", ContentFile(image_bytes("PNG")))
    assert Client().get(path).status_code == 404
