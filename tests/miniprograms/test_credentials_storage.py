"""Server API credentials at rest: tokens and codes as keyed hashes, only stable tokens
keep their clear text (normal mode hands the same one back); login codes only for
active mini programs."""

from __future__ import annotations

import pytest

from miniport.accounts.models import Registration
from miniport.core import ids, quotas
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import AccessToken, LoginCode
from miniport.miniprograms.services import credentials

ACTOR = Actor.system("tests")


@pytest.fixture(autouse=True)
def _fresh_leases():
    quotas.forget_leases()
    yield
    quotas.forget_leases()


def fetch(app, *, stable=False, force=False):
    common = {
        "actor": ACTOR,
        "appid": app.miniprogram.appid,
        "secret": app.secret,
        "grant_type": "client_credential",
        "client_ip": "127.0.0.1",
    }
    if stable:
        return credentials.stable_token_fetch(force_refresh=force, **common)
    return credentials.access_token_fetch(**common)


def test_plain_tokens_keep_only_a_hash(provision):
    app = provision("personal")
    issued = fetch(app)
    row = AccessToken.objects.get(family="token")
    assert row.digest == ids.digest(issued.access_token) and row.clear == ""


def test_stable_tokens_keep_their_clear_text_to_hand_back(provision):
    app = provision("personal")
    issued = fetch(app, stable=True)
    row = AccessToken.objects.get(family="stable")
    assert row.clear == issued.access_token and row.digest == ids.digest(issued.access_token)


def test_login_codes_keep_only_a_hash(provision, make_identity):
    app = provision("personal")
    issued = credentials.login_code_issue(
        actor=ACTOR, identity=make_identity(), miniprogram=app.miniprogram
    )
    row = LoginCode.objects.get()
    assert row.digest == ids.digest(issued.code) and issued.code not in (
        row.digest,
        row.session_key,
    )


def test_no_login_code_for_a_mini_program_that_is_not_active(provision, make_identity):
    app = provision("personal")
    Registration.objects.filter(account=app.miniprogram.account).update(
        status="pending_certification"
    )
    app.miniprogram.refresh_from_db()
    mp = (
        type(app.miniprogram)
        .objects.select_related("subject__registration")
        .get(pk=app.miniprogram.pk)
    )
    with pytest.raises(PlatformError) as refused:
        credentials.login_code_issue(actor=ACTOR, identity=make_identity(), miniprogram=mp)
    assert refused.value.code == MiniProgramError.INVALID_APPID
    assert not LoginCode.objects.exists()
