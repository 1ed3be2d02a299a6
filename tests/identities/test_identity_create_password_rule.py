"""`services.identity_create` (the CLI, provisioning) holds a given password to the same
rule as the phone sign-up (`signup.check_password_rule`); nothing is stored when it
refuses. (REG-1)"""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity
from tests.identities.support_signup import override

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("test")


def create(password: str) -> Identity:
    return services.identity_create(
        actor=ACTOR, wechat_id="rule_wx01", real_name="张三", password=password
    )


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("x", IdentityError.PASSWORD_TOO_SHORT),
        ("short-1", IdentityError.PASSWORD_TOO_SHORT),
        ("12345678901", IdentityError.PASSWORD_CHARSET),
        ("pass word 1", IdentityError.PASSWORD_CHARSET),
        ("密码密码密码密码", IdentityError.PASSWORD_CHARSET),
        ("x" * 129, IdentityError.PASSWORD_CHARSET),
    ],
)
def test_a_password_outside_the_sign_up_rule_is_refused_and_nothing_is_stored(password, code):
    with pytest.raises(PlatformError) as refused:
        create(password)
    assert refused.value.code is code
    assert refused.value.field == "password"
    assert not Identity.objects.exists()
    assert not AuditEntry.objects.filter(action="identity.create").exists()


def test_the_minimum_length_is_the_sign_up_policy_row():
    override("signup.password_min_length", 13)
    with pytest.raises(PlatformError) as refused:
        create("twelve-chars")
    assert refused.value.code is IdentityError.PASSWORD_TOO_SHORT
    assert "13" in refused.value.message("en")
    assert create("thirteen-char").check_password("thirteen-char")


def test_an_identity_without_a_password_is_still_created():
    identity = create("")
    assert Identity.objects.get() == identity
    assert not identity.password
