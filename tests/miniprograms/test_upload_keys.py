"""B-10, VER-1: upload keys, like WeChat's CI code-upload key. A key pair is made once,
the private key handed out once and never stored, a signature is checked with Ed25519,
a revoked key and a wrong signature are refused, and the mini program's IP whitelist
applies (an empty whitelist lets every address upload with a valid key)."""

from __future__ import annotations

import base64
import time

import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from django.core.cache import cache

from miniport.core import clock
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, UsedOnce
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import UploadKey
from miniport.miniprograms.services import upload_keys as keys
from tests.miniprograms.devsettings_support import set_ip_whitelist

pytestmark = pytest.mark.django_db
SHA = "ab" * 32


def _state():
    return sorted(
        UploadKey.objects.values_list("pk", "name", "revoked_at", "last_used_at", "last_used_ip")
    )


@pytest.fixture
def made(team):
    key, private_pem = keys.upload_key_create(
        actor=team.admin_actor, miniprogram=team.miniprogram, name="ci"
    )
    return key, private_pem.encode()


def _signed(team, private_pem, *, version="1.0.0", desc="说明", when=None, appid=None):
    timestamp = int(when if when is not None else time.time())
    appid = appid or team.miniprogram.appid
    message = keys.upload_message(
        appid=appid, version=version, timestamp=timestamp, package_sha256=SHA, desc=desc
    )
    return {
        "appid": appid,
        "key_fingerprint": keys.private_key_fingerprint(private_pem),
        "signature": keys.sign_upload(private_pem, message),
        "version": version,
        "timestamp": str(timestamp),
        "package_sha256": SHA,
        "desc": desc,
    }


def test_a_key_is_created_once_and_only_its_public_half_is_stored(team, made):
    """B-10: the private key is returned once; the row holds the public key and its
    fingerprint, never the private key."""
    key, private_pem = made
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    stored = UploadKey.objects.get(pk=key.pk)
    assert stored.public_key.startswith("-----BEGIN PUBLIC KEY-----")
    assert stored.fingerprint == keys.private_key_fingerprint(private_pem)
    body = serialization.load_pem_private_key(private_pem, password=None).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    for value in UploadKey.objects.values_list(*[f.attname for f in UploadKey._meta.fields]):
        text = " ".join(str(v) for v in value)
        assert "PRIVATE" not in text and base64.b64encode(body).decode() not in text
        assert body.hex() not in text
    # A second key is another pair.
    other, other_pem = keys.upload_key_create(
        actor=team.admin_actor, miniprogram=team.miniprogram, name="ci-2"
    )
    assert other.fingerprint != key.fingerprint and other_pem.encode() != private_pem


def test_creating_and_revoking_are_audited_without_the_private_key(team, made):
    """B-10, B-7: audit rows name the key by fingerprint."""
    key, private_pem = made
    created = AuditEntry.objects.get(action="upload_key.create")
    assert created.appid == team.miniprogram.appid
    assert created.after == {"name": "ci", "fingerprint": key.fingerprint}
    keys.upload_key_revoke(actor=team.admin_actor, key=key)
    revoked = AuditEntry.objects.get(action="upload_key.revoke")
    assert revoked.after["fingerprint"] == key.fingerprint and revoked.after["revoked_at"]
    assert not AuditEntry.objects.filter(after__icontains="PRIVATE KEY").exists()
    # Revoking again changes nothing and records nothing.
    keys.upload_key_revoke(actor=team.admin_actor, key=key)
    assert AuditEntry.objects.filter(action="upload_key.revoke").count() == 1


def test_a_valid_signature_verifies_and_marks_the_key_used(team, made):
    """B-10: the Ed25519 signature over appid, version, timestamp, package hash, desc."""
    key, private_pem = made
    verified = keys.upload_request_verify(**_signed(team, private_pem), client_ip="192.0.2.1")
    assert verified.pk == key.pk
    key.refresh_from_db()
    assert key.last_used_at is not None and key.last_used_ip == "192.0.2.1"


@pytest.mark.parametrize("change", ["version", "desc", "package_sha256", "appid_other_key"])
def test_a_signature_over_other_bytes_is_refused(team, made, provision, change):
    """B-10: any signed field changed after signing: UPLOAD_SIGNATURE_INVALID."""
    _key, private_pem = made
    request = _signed(team, private_pem)
    if change == "version":
        request["version"] = "9.9.9"
    elif change == "desc":
        request["desc"] = "tampered"
    elif change == "package_sha256":
        request["package_sha256"] = "cd" * 32
    else:  # signed with another key of the same mini program
        _other, other_pem = keys.upload_key_create(
            actor=team.admin_actor, miniprogram=team.miniprogram, name="other"
        )
        request["signature"] = _signed(team, other_pem.encode())["signature"]
    before = _state()
    with pytest.raises(PlatformError) as refused:
        keys.upload_request_verify(**request, client_ip="192.0.2.1")
    assert refused.value.code == MiniProgramError.UPLOAD_SIGNATURE_INVALID
    assert _state() == before


@pytest.mark.parametrize("signature", ["", "not base64!", base64.b64encode(b"x" * 64).decode()])
def test_a_malformed_signature_is_refused(team, made, signature):
    """B-10: garbage is a wrong signature, never a crash."""
    _key, private_pem = made
    request = _signed(team, private_pem) | {"signature": signature}
    with pytest.raises(PlatformError) as refused:
        keys.upload_request_verify(**request, client_ip="192.0.2.1")
    assert refused.value.code == MiniProgramError.UPLOAD_SIGNATURE_INVALID


def test_a_revoked_key_is_refused(team, made):
    """B-10: revoking ends the key at once."""
    key, private_pem = made
    keys.upload_key_revoke(actor=team.admin_actor, key=key)
    before = _state()
    with pytest.raises(PlatformError) as refused:
        keys.upload_request_verify(**_signed(team, private_pem), client_ip="192.0.2.1")
    assert refused.value.code == MiniProgramError.UPLOAD_KEY_REVOKED
    assert _state() == before


def test_a_key_of_another_mini_program_is_unknown_here(team, made, provision):
    """B-10: a key belongs to one mini program."""
    _key, private_pem = made
    elsewhere = provision("personal").miniprogram
    request = _signed(team, private_pem, appid=elsewhere.appid)
    with pytest.raises(PlatformError) as refused:
        keys.upload_request_verify(**request, client_ip="192.0.2.1")
    assert refused.value.code == MiniProgramError.UPLOAD_KEY_UNKNOWN
    missing = _signed(team, private_pem, appid="wx0000000000000000")
    with pytest.raises(PlatformError) as unknown_app:
        keys.upload_request_verify(**missing, client_ip="192.0.2.1")
    assert unknown_app.value.code == MiniProgramError.INVALID_APPID


def test_the_ip_whitelist_applies_to_upload_keys(team, made):
    """B-10: like WeChat's CI key, an address outside a non-empty whitelist is refused
    (40164); an address inside it, or any address with an empty whitelist, is let in."""
    _key, private_pem = made
    keys.upload_request_verify(**_signed(team, private_pem, version="0.1"), client_ip="203.0.113.9")
    set_ip_whitelist(team.miniprogram, ["192.0.2.0/24"])
    before = _state()
    with pytest.raises(PlatformError) as refused:
        keys.upload_request_verify(
            **_signed(team, private_pem, version="0.2"), client_ip="203.0.113.9"
        )
    assert refused.value.code == MiniProgramError.IP_NOT_WHITELISTED
    assert refused.value.errcode == 40164
    assert _state() == before
    keys.upload_request_verify(**_signed(team, private_pem, version="0.3"), client_ip="192.0.2.77")


def test_a_timestamp_outside_the_window_is_refused(team, made):
    """B-10: signed requests older (or later) than dev.upload_signature_window_seconds are
    refused: UPLOAD_TIMESTAMP_STALE."""
    _key, private_pem = made
    now = clock.now().timestamp()
    for when in (now - 301, now + 301):
        with pytest.raises(PlatformError) as refused:
            keys.upload_request_verify(
                **_signed(team, private_pem, when=when), client_ip="192.0.2.1"
            )
        assert refused.value.code == MiniProgramError.UPLOAD_TIMESTAMP_STALE
    bad = _signed(team, private_pem) | {"timestamp": "yesterday"}
    with pytest.raises(PlatformError) as garbled:
        keys.upload_request_verify(**bad, client_ip="192.0.2.1")
    assert garbled.value.code == MiniProgramError.UPLOAD_TIMESTAMP_STALE
    signed_earlier = _signed(team, private_pem, when=now - 200)
    with time_machine.travel(now + 200, tick=False), pytest.raises(PlatformError):
        keys.upload_request_verify(**signed_earlier, client_ip="192.0.2.1")


def test_the_same_signed_request_is_refused_the_second_time(team, made):
    """B-10: a replay within the window: UPLOAD_REPLAYED."""
    _key, private_pem = made
    request = _signed(team, private_pem)
    keys.upload_request_verify(**request, client_ip="192.0.2.1")
    with pytest.raises(PlatformError) as refused:
        keys.upload_request_verify(**request, client_ip="192.0.2.1")
    assert refused.value.code == MiniProgramError.UPLOAD_REPLAYED


def test_a_replay_is_refused_by_another_process_that_shares_only_the_database(team, made):
    """B-10: the signature's use is remembered in the database, not in a per-process
    cache: with the cache emptied (another gunicorn worker's), the replay is still
    refused, and nothing else is recorded for it."""
    _key, private_pem = made
    request = _signed(team, private_pem)
    keys.upload_request_verify(**request, client_ip="192.0.2.1")
    cache.clear()
    marks = UsedOnce.objects.count()
    with pytest.raises(PlatformError) as refused:
        keys.upload_request_verify(**request, client_ip="192.0.2.1")
    assert refused.value.code == MiniProgramError.UPLOAD_REPLAYED
    assert UsedOnce.objects.count() == marks == 1


def test_names_are_checked_and_active_keys_are_limited(team):
    """B-10: 1 to 64 printable characters; at most dev.upload_keys_max active keys
    (revoked ones do not count)."""
    for bad in ("", "   ", "x" * 65, "tab\there"):
        with pytest.raises(PlatformError) as refused:
            keys.upload_key_create(actor=team.admin_actor, miniprogram=team.miniprogram, name=bad)
        assert refused.value.code == MiniProgramError.UPLOAD_KEY_NAME_INVALID
    made = [
        keys.upload_key_create(actor=team.admin_actor, miniprogram=team.miniprogram, name=f"k{i}")[
            0
        ]
        for i in range(5)
    ]
    before = _state()
    with pytest.raises(PlatformError) as full:
        keys.upload_key_create(actor=team.admin_actor, miniprogram=team.miniprogram, name="six")
    assert full.value.code == MiniProgramError.UPLOAD_KEY_LIMIT
    assert _state() == before
    keys.upload_key_revoke(actor=team.admin_actor, key=made[0])
    keys.upload_key_create(actor=team.admin_actor, miniprogram=team.miniprogram, name="six")
