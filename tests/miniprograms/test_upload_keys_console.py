"""B-10: the console's upload key page in development settings: the administrator makes a
key and downloads its private key once, as a file; the page never shows it again; a key
is revoked there. Who may open the page is the permission matrix's business
(tests/console/test_permission_matrix.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.core.models import AuditEntry
from miniport.miniprograms.models import UploadKey
from miniport.miniprograms.services import upload_keys as keys
from tests.miniprograms.conftest import console_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(team):
    client = Client()
    console_login(client, team.admin, team.miniprogram.appid)
    return client


def test_the_administrator_downloads_the_private_key_once_as_a_file(team, admin_client):
    """B-10: the answer to "create" is the private key as an attachment; only the public
    half is stored and the page lists the key by fingerprint without the private key."""
    response = admin_client.post("/settings/dev/upload-keys/create/", {"name": "GitLab CI"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    private_pem = response.content
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    key = UploadKey.objects.get(miniprogram=team.miniprogram)
    assert key.name == "GitLab CI"
    assert key.fingerprint == keys.private_key_fingerprint(private_pem)
    page = admin_client.get("/settings/dev/upload-keys/")
    assert page.status_code == 200
    html = page.content.decode()
    assert key.fingerprint[:16] in html and "GitLab CI" in html
    assert "PRIVATE KEY" not in html
    assert AuditEntry.objects.filter(action="upload_key.create", appid=team.miniprogram.appid)


def test_a_refused_name_is_shown_on_the_form_and_nothing_is_made(team, admin_client):
    """B-10: the service's refusal lands on the name field."""
    response = admin_client.post("/settings/dev/upload-keys/create/", {"name": "   "})
    assert response.status_code == 400
    assert b'data-field="name"' in response.content
    assert not UploadKey.objects.exists()


def test_the_administrator_revokes_a_key_from_the_page(team, admin_client):
    """B-10: revoked at once, still listed."""
    key, _pem = keys.upload_key_create(
        actor=team.admin_actor, miniprogram=team.miniprogram, name="old"
    )
    response = admin_client.post(f"/settings/dev/upload-keys/{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert "old" in admin_client.get("/settings/dev/upload-keys/").content.decode()


def test_the_development_settings_page_links_to_the_upload_keys(admin_client):
    """B-10: the page is found from the development settings."""
    page = admin_client.get("/settings/dev/").content.decode()
    assert 'data-testid="upload-keys-link"' in page
