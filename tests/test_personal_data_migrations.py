"""issue 9 item 6: the data migrations seal the ID numbers, phones and session keys an
existing database holds in clear, compute the lookup digests with the digest key, drop
the SMS codes' clear phone and the redeemed codes' session keys; reversed, they give
the clear values back. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from miniport.accounts.models import Draft, SmsCode, Subject
from miniport.core import clock, ids, vault
from miniport.identities.models import Identity
from miniport.miniprograms.models import AccessToken, LoginCode
from miniport.miniprograms.services.credentials import login_code_issue

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("identities", "0004_identity_signin_failure"),
    ("accounts", "0002_registration_appid"),
    ("miniprograms", "0006_upload_keys"),
]
STABLE = "a-stable-token-of-an-earlier-release"


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _raw(model, field: str, pk) -> str:
    quote = connection.ops.quote_name
    column = model._meta.get_field(field).column if field != "phone" else "phone"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE id = %s",  # noqa: S608
            [pk],
        )
        return cursor.fetchone()[0]


def _set_raw(model, column: str, value, pk) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def test_existing_clear_values_are_sealed_and_digested_by_the_migrations(
    make_identity, provision, system_actor
):
    person = make_identity("migrating_wx", phone="13612345678")
    app = provision("personal")
    subject = Subject.objects.get(pk=app.miniprogram.subject_id)
    draft = Draft.objects.create(
        registration=subject.registration,
        data={"admin_id_number": person.id_number, "admin_phone": "13612345678"},
        phone_verified="13612345678",
    )
    now = clock.now()
    sms = SmsCode.objects.create(
        registration=subject.registration,
        phone_digest="x",
        code_digest=ids.digest("123456"),
        created_at=now,
        expires_at=now,
    )
    for _ in range(2):
        login_code_issue(actor=system_actor, identity=person, miniprogram=app.miniprogram)
    used, waiting = LoginCode.objects.order_by("id")
    LoginCode.objects.filter(pk=used.pk).update(used_at=now)
    clear_key = waiting.session_key
    admin_id, admin_phone = subject.admin_id_number, subject.admin_phone
    token = AccessToken.objects.create(
        miniprogram=app.miniprogram,
        family="stable",
        digest=ids.digest(STABLE),
        clear=STABLE,
        issued_at=now,
        expires_at=now,
        valid_until=now,
    )

    try:
        # Back to the schema of the previous release: everything in clear.
        _migrate(BEFORE)
        assert _raw(Identity, "phone", person.pk) == "13612345678"
        assert _raw(Identity, "id_number", person.pk) == person.id_number
        assert _raw(Subject, "admin_phone", subject.pk) == admin_phone
        assert _raw(LoginCode, "session_key", waiting.pk) == clear_key
        # What an older release left: the SMS code's clear phone, a stale digest.
        _set_raw(SmsCode, "phone", "13612345678", sms.pk)
        _set_raw(Subject, "admin_id_digest", "stale", subject.pk)
        _set_raw(LoginCode, "session_key", "old-clear-key", used.pk)
        assert _raw(AccessToken, "clear", token.pk) == STABLE

        _migrate(_latest())
    finally:
        _migrate(_latest())

    for model, field, pk in [
        (Identity, "phone", person.pk),
        (Identity, "id_number", person.pk),
        (Subject, "admin_id_number", subject.pk),
        (Subject, "admin_phone", subject.pk),
        (Draft, "data", draft.pk),
        (Draft, "phone_verified", draft.pk),
        (LoginCode, "session_key", waiting.pk),
        (AccessToken, "clear", token.pk),
    ]:
        assert vault.is_envelope(_raw(model, field, pk)), (model, field)
    person = Identity.objects.get(pk=person.pk)
    assert person.phone == "13612345678"
    subject = Subject.objects.get(pk=subject.pk)
    assert (subject.admin_id_number, subject.admin_phone) == (admin_id, admin_phone)
    assert subject.admin_id_digest == ids.digest(admin_id)
    assert Draft.objects.get(pk=draft.pk).data["admin_phone"] == "13612345678"
    assert SmsCode.objects.get(pk=sms.pk).phone_digest == ids.digest("13612345678")
    assert "phone" not in {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), SmsCode._meta.db_table
        )
    }
    assert LoginCode.objects.get(pk=waiting.pk).session_key == clear_key
    assert AccessToken.objects.get(pk=token.pk).clear == STABLE
    assert _raw(LoginCode, "session_key", used.pk) == ""  # redeemed: erased, not sealed
