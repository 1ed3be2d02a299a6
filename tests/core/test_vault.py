"""issue 9 item 6: personal data and secrets at rest are sealed in envelopes (a random
AES-256-GCM data key per value, wrapped by the current key-encryption key of
MINIPORT_DATA_KEYS), never under the web secret; tampering and unknown keys are refused
with a clear error."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.test import override_settings

from miniport.core import ids, sealed, vault

OLD = "k1:old-key-material-0123456789"
NEW_AND_OLD = "k2:new-key-material-9876543210,k1:old-key-material-0123456789"
NEW = "k2:new-key-material-9876543210"


def test_an_envelope_opens_to_the_value_and_shows_nothing_of_it():
    """issue 9 item 6: seal and open round-trip; the clear text is not in the envelope."""
    with override_settings(DATA_KEYS=OLD):
        envelope = vault.seal_personal("110101199005171019")
        assert "110101199005171019" not in envelope
        assert envelope.startswith("mpv1:k1:") and vault.key_id_of(envelope) == "k1"
        assert vault.open_personal(envelope) == "110101199005171019"


def test_each_value_gets_its_own_data_key():
    """issue 9 item 6: the same value sealed twice gives unrelated envelopes."""
    with override_settings(DATA_KEYS=OLD):
        first, second = vault.seal_personal("13800138000"), vault.seal_personal("13800138000")
    assert first != second
    assert first.split(":")[2] != second.split(":")[2]  # different wrapped data keys


def test_an_envelope_of_a_key_no_longer_configured_is_refused_by_name():
    """issue 9 item 6: a clear error naming the missing key id."""
    with override_settings(DATA_KEYS=OLD):
        envelope = vault.seal_personal("13800138000")
    with override_settings(DATA_KEYS=NEW), pytest.raises(vault.UnknownKey, match="'k1'"):
        vault.open_personal(envelope)


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize("part", [2, 3], ids=["wrapped-key", "ciphertext"])
def test_a_changed_envelope_is_refused_as_tampered(part):
    """issue 9 item 6: any change to the wrapped key or the ciphertext is detected."""
    with override_settings(DATA_KEYS=OLD):
        envelope = vault.seal_personal("13800138000")
        fields = envelope.split(":")
        fields[part] = _flip(fields[part], 20)
        with pytest.raises(vault.Tampered):
            vault.open_personal(":".join(fields))


def test_an_envelope_relabelled_with_another_key_id_does_not_open():
    """issue 9 item 6: the key id is bound into the wrap."""
    with override_settings(DATA_KEYS=NEW_AND_OLD):
        envelope = vault.seal_personal("13800138000")
        relabelled = envelope.replace("mpv1:k2:", "mpv1:k1:", 1)
        with pytest.raises(vault.Tampered):
            vault.open_personal(relabelled)


@pytest.mark.parametrize("text", ["", "plain", "mpv1:k1:x", "mpv1:k1:AAAA:BBBB"])
def test_what_is_not_an_envelope_is_refused(text):
    with override_settings(DATA_KEYS=OLD), pytest.raises(vault.Tampered):
        vault.open_personal(text)


def test_rewrap_moves_an_envelope_to_the_current_key_without_the_old_one():
    """issue 9 item 6: rotation rewraps the data key; afterwards the old key can go."""
    with override_settings(DATA_KEYS=OLD):
        envelope = vault.seal_personal("110101199005171019")
    with override_settings(DATA_KEYS=NEW_AND_OLD):
        assert vault.open_personal(envelope) == "110101199005171019"
        fresh = vault.rewrap(envelope)
        assert vault.key_id_of(fresh) == "k2"
        assert vault.rewrap(fresh) == fresh  # already current: unchanged
        # The data itself is not re-encrypted, only its key rewrapped.
        assert fresh.split(":")[3] == envelope.split(":")[3]
    with override_settings(DATA_KEYS=NEW):
        assert vault.open_personal(fresh) == "110101199005171019"


@pytest.mark.parametrize(
    "configured", ["", "nokey", "k1:", ":secret", "k1:a,k1:b", "k 1:secret"], ids=repr
)
def test_an_unreadable_key_setting_is_refused_clearly(configured):
    with pytest.raises(vault.BadKeyConfiguration, match="MINIPORT_DATA_KEYS"):
        vault.parse_keys(configured)


def test_secrets_are_sealed_under_the_data_keys_not_the_web_secret():
    """issue 9 item 6: a webhook secret sealed today does not depend on SECRET_KEY."""
    with override_settings(DATA_KEYS=OLD, SECRET_KEY="web-secret-one-" + "x" * 40):
        envelope = sealed.seal("whsec-value")
    assert vault.is_envelope(envelope)
    with override_settings(DATA_KEYS=OLD, SECRET_KEY="web-secret-two-" + "y" * 40):
        assert sealed.unseal(envelope) == "whsec-value"


def _legacy_seal(text: str, secret_key: str) -> str:
    # What earlier releases stored: Fernet under a key derived from SECRET_KEY.
    key = hashlib.sha256(b"miniport.core.sealed/1:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key)).encrypt(text.encode()).decode()


def test_values_sealed_under_the_old_web_secret_still_open_and_are_resealed():
    """issue 9 item 6: the migration path of core.sealed: legacy values open with the
    old web secret (or the digest key set to it) and rotation reseals them as envelopes."""
    old_web = "old-web-secret-" + "z" * 40
    legacy = _legacy_seal("whsec-legacy", old_web)
    with override_settings(DATA_KEYS=OLD, SECRET_KEY=old_web):
        assert sealed.unseal(legacy) == "whsec-legacy"
    # An upgraded install with a new web secret sets the digest key to the old one.
    with override_settings(DATA_KEYS=OLD, SECRET_KEY="new-" + "w" * 50, DIGEST_KEY=old_web):
        assert sealed.unseal(legacy) == "whsec-legacy"
        fresh = sealed.reseal(legacy)
    assert vault.is_envelope(fresh) and "whsec-legacy" not in fresh
    with override_settings(DATA_KEYS=OLD, SECRET_KEY="other-" + "v" * 50, DIGEST_KEY="d" * 40):
        assert sealed.unseal(fresh) == "whsec-legacy"
        with pytest.raises(sealed.Unreadable):
            sealed.unseal(legacy)


def test_digests_are_keyed_by_the_digest_key_not_the_web_secret():
    """issue 9 item 6: core.ids.digest uses DIGEST_KEY."""
    with override_settings(DIGEST_KEY="digest-key-a" * 4, SECRET_KEY="s" * 50):
        first = ids.digest("13800138000")
    with override_settings(DIGEST_KEY="digest-key-a" * 4, SECRET_KEY="t" * 50):
        assert ids.digest("13800138000") == first
    with override_settings(DIGEST_KEY="digest-key-b" * 4, SECRET_KEY="s" * 50):
        assert ids.digest("13800138000") != first


def test_the_keyed_hash_gives_hmac_sha256_bytes_and_its_remembered_key_state_stays_unchanged():
    """ids.keyed_sha256 copies a keyed HMAC state made once per key: the bytes are
    hmac.digest's, a call leaves nothing behind for the next, and each key has its own."""
    import hashlib
    import hmac

    for key, message in (("k" * 40, b"a"), ("k" * 40, b"b" * 500), ("other", b"a")):
        expected = hmac.digest(key.encode(), message, hashlib.sha256)
        assert ids.keyed_sha256(key, message) == expected
        assert ids.keyed_sha256(key, message) == expected
    assert ids.keyed_sha256("k" * 40, b"a") != ids.keyed_sha256("other", b"a")


@pytest.mark.django_db
def test_a_sealed_column_refuses_a_lookup_by_value():
    """issue 9 item 6: a sealed column cannot be compared with a value; code that needs a
    lookup keeps a digest instead, and a lookup by value fails loudly."""
    from miniport.identities.models import Identity

    with pytest.raises(FieldError, match="sealed"):
        Identity.objects.filter(phone="13800138000").exists()
    with pytest.raises(FieldError, match="sealed"):
        Identity.objects.filter(id_number__startswith="1101").exists()
    # Whether it is empty can still be asked: an empty value is stored empty.
    assert not Identity.objects.filter(phone__isnull=True).exists()
    assert not Identity.objects.exclude(phone="").exists()
