"""Calling the basic-information and category endpoints as a developer's server does,
for the INF tests over the wire. Test modules import the fixtures they use."""

from __future__ import annotations

import io
import json

import pytest

from tests.miniprograms.profile_support import image_bytes


class ProfileApi:
    def __init__(self, wire, provisioned):
        self.wire = wire
        self.miniprogram = provisioned.miniprogram
        self.token = wire.token(provisioned)

    def get(self, path, **params):
        return self.wire.get(path, access_token=self.token, **params)

    def post(self, path, body):
        return self.wire.post(path, body, access_token=self.token)

    def upload_raw(self, data: bytes) -> dict:
        response = self.wire.client.post(
            f"/cgi-bin/media/upload?access_token={self.token}&type=image",
            {"media": io.BytesIO(data)},
        )
        assert response.status_code == 200
        return json.loads(response.content)

    def upload(self, data: bytes | None = None) -> str:
        """A temporary image's media_id (a JPEG unless `data` is given)."""
        result = self.upload_raw(data if data is not None else image_bytes("JPEG", (600, 400)))
        assert "media_id" in result, result
        return result["media_id"]


@pytest.fixture(name="personal_api")
def personal_api_fixture(wire, app):
    """The server API of an active personal mini program."""
    return ProfileApi(wire, app)


@pytest.fixture(name="company_api")
def company_api_fixture(wire, company_app):
    """The server API of a certified enterprise's mini program."""
    return ProfileApi(wire, company_app)
