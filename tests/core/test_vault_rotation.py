"""issue 9 item 6: `miniport keys rotate` rewraps every stored envelope (identities,
subjects, drafts, login codes, webhook secrets) under the first key of
MINIPORT_DATA_KEYS, and reseals values of earlier releases sealed under the web secret;
afterwards the old key can be removed and everything still opens."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from miniport.accounts.models import Draft, Subject
from miniport.cli import main
from miniport.core import clock, sealed, vault
from miniport.identities.models import Identity
from miniport.miniprograms.models import LoginCode, WebhookEndpoint
from miniport.miniprograms.services.credentials import login_code_issue
from tests.core.test_vault import NEW, NEW_AND_OLD, OLD, _legacy_seal

pytestmark = pytest.mark.django_db


def _stored_values() -> dict[str, list]:
    """Every non-empty value of every sealed column, as the database holds it."""
    quote = connection.ops.quote_name
    found: dict[str, list] = {}
    with connection.cursor() as cursor:
        for model, field in vault.sealed_columns():
            cursor.execute(
                f"SELECT {quote(field.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
                f"WHERE {quote(field.column)} <> '' ORDER BY 1"
            )
            found[f"{model._meta.label}.{field.name}"] = [row[0] for row in cursor.fetchall()]
    return found


@pytest.fixture
def sealed_world(make_identity, provision, system_actor, settings):
    """Data of every sealed column, sealed under the old key only."""
    settings.DATA_KEYS = OLD
    settings.SECRET_KEY = "old-web-secret-" + "q" * 40
    person = make_identity("rotating_wx", phone="13912345678")
    app = provision("personal")
    subject = Subject.objects.get(pk=app.miniprogram.subject_id)
    Draft.objects.create(
        registration=subject.registration,
        data={"admin_id_number": person.id_number, "admin_phone": "13912345678"},
        phone_verified="13912345678",
    )
    login_code_issue(actor=system_actor, identity=person, miniprogram=app.miniprogram)
    common = {"miniprogram": app.miniprogram, "secret_hint": "abcd", "created_at": clock.now()}
    WebhookEndpoint.objects.create(
        url="https://hooks.example.com/a", secret_sealed=sealed.seal("whsec-new"), **common
    )
    WebhookEndpoint.objects.create(
        url="https://hooks.example.com/b",
        secret_sealed=_legacy_seal("whsec-legacy", settings.SECRET_KEY),
        **common,
    )
    return person, subject


def _rotate(capsys) -> dict:
    assert main(["keys", "rotate", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_rotation_rewraps_everything_so_the_old_key_can_go(sealed_world, settings, capsys):
    """issue 9 item 6: DATA_KEYS "k2:new,k1:old", rotate, then with "k2:new" alone every
    value still opens."""
    person, subject = sealed_world
    clear_id = person.id_number
    settings.DATA_KEYS = NEW_AND_OLD
    result = _rotate(capsys)
    assert result["key"] == "k2"
    assert result["rewrapped"]["identities.Identity.phone"] >= 1
    assert result["rewrapped"]["miniprograms.WebhookEndpoint.secret_sealed"] == 2
    stored = _stored_values()
    assert all(v.startswith("mpv1:k2:") for values in stored.values() for v in values)
    assert stored["miniprograms.LoginCode.session_key"]

    settings.DATA_KEYS = NEW
    settings.SECRET_KEY = "a-new-web-secret-" + "n" * 40
    person = Identity.objects.get(pk=person.pk)
    assert (person.phone, person.id_number) == ("13912345678", clear_id)
    subject = Subject.objects.get(pk=subject.pk)
    assert subject.admin_id_number and subject.admin_phone
    draft = Draft.objects.get(registration=subject.registration)
    assert draft.data["admin_phone"] == draft.phone_verified == "13912345678"
    assert LoginCode.objects.get().session_key
    secrets = {sealed.unseal(w.secret_sealed) for w in WebhookEndpoint.objects.all()}
    assert secrets == {"whsec-new", "whsec-legacy"}
    # A second rotation has nothing left to do.
    assert not any(_rotate(capsys)["rewrapped"].values())


def test_rotation_without_the_old_key_is_refused_and_changes_nothing(
    sealed_world, settings, capsys
):
    """issue 9 item 6: a value no configured key opens stops the rotation before any
    write, with the column named."""
    settings.DATA_KEYS = NEW
    before = _stored_values()
    with pytest.raises(SystemExit) as stopped:
        main(["keys", "rotate"])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "MINIPORT_DATA_KEYS" in err and "'k1'" in err
    assert _stored_values() == before


def test_new_values_are_sealed_under_the_first_key_at_once(make_identity, settings):
    """issue 9 item 6: after putting a new key first, new data uses it before rotating."""
    settings.DATA_KEYS = NEW_AND_OLD
    make_identity("fresh_wx", phone="13800000001")
    assert all(v.startswith("mpv1:k2:") for v in _stored_values()["identities.Identity.phone"])
