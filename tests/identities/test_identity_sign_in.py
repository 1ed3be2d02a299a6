"""Identities sign in on the phone pages with their WeChat ID and password."""

import pytest

from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import selectors, services
from miniport.identities.errors import IdentityError


def test_right_password_signs_in(make_identity):
    identity = make_identity("alice_01", password="right-pass-1")
    assert services.identity_authenticate(wechat_id="alice_01", password="right-pass-1") == identity


def test_wechat_id_is_trimmed(make_identity):
    identity = make_identity("alice_01", password="right-pass-1")
    assert (
        services.identity_authenticate(wechat_id=" alice_01 ", password="right-pass-1") == identity
    )


@pytest.mark.parametrize(
    ("wechat_id", "password"),
    [("alice_01", "wrong-pass"), ("nobody_99", "right-pass-1"), ("", ""), (None, None)],
)
def test_wrong_or_missing_credentials_are_refused(make_identity, wechat_id, password):
    make_identity("alice_01", password="right-pass-1")
    with pytest.raises(PlatformError) as refused:
        services.identity_authenticate(wechat_id=wechat_id, password=password)
    assert refused.value.code is IdentityError.IDENTITY_LOGIN_FAILED
    assert refused.value.field == "wechat_id"


def test_identity_without_password_cannot_sign_in(make_identity):
    make_identity("alice_01", password="")
    with pytest.raises(PlatformError):
        services.identity_authenticate(wechat_id="alice_01", password="")


def test_sign_in_is_audited_without_session_keys(make_identity):
    identity = make_identity()
    services.identity_signed_in(
        identity=identity, method="password", old_session_key="old-key", new_session_key="new-key"
    )
    entry = AuditEntry.objects.filter(action="identity.sign_in").get()
    assert entry.actor_kind == "identity"
    assert entry.actor_id == str(identity.pk)
    assert "new-key" not in str(entry.after) and "old-key" not in str(entry.after)


@pytest.mark.parametrize("junk", ["alice\x0001", "x" * 5000, ["alice_01"], 42])
def test_input_that_cannot_be_a_wechat_id_is_refused_not_looked_up(make_identity, junk):
    make_identity("alice_01")
    with pytest.raises(PlatformError) as refused:
        services.identity_authenticate(wechat_id=junk, password="secret-pass-1")
    assert refused.value.code is IdentityError.IDENTITY_LOGIN_FAILED
    assert selectors.find_by_wechat_id(junk) is None


def test_control_characters_in_names_are_refused(system_actor, db):
    from miniport.identities.models import Identity

    for field in ("real_name", "nickname"):
        with pytest.raises(PlatformError) as refused:
            services.identity_create(actor=system_actor, wechat_id="alice_01", **{field: "a\x00b"})
        assert refused.value.field == field
    assert Identity.objects.count() == 0
