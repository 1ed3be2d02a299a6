"""issue 9 item 6: after the demo data and a journey that registers a mini program, signs
in on the host app, issues login codes and redeems one at jscode2session, a dump of every
table holds no ID number, phone number, session_key (or stable token) in clear."""

from __future__ import annotations

import pytest
from django.db import connection

from miniport.accounts.models import Subject
from miniport.demo import ensure_demo_data
from miniport.identities.models import Identity
from miniport.miniprograms.models import LoginCode
from tests.accounts import conftest as accounts_conftest
from tests.openapi.wire import Wire
from tests.runtime.conftest import HOST_ID, HOST_SECRET, Runtime

pytestmark = pytest.mark.django_db(transaction=True)

# The registration walk of the accounts tests, as a fixture here too.
drive = accounts_conftest.drive


def _dump() -> str:
    """Every row of every table, as text, read with plain SQL."""
    quote = connection.ops.quote_name
    parts: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the database
            for row in cursor.fetchall():
                parts.append(" ".join(map(str, row)))
    return "\n".join(parts)


def test_a_dump_after_the_demo_and_the_journeys_holds_no_personal_data_in_clear(
    settings, client, drive, make_identity, provision
):
    settings.RUNTIME_HOST_APPS = {HOST_ID: HOST_SECRET}
    ensure_demo_data(say=lambda _line: None)
    # Registrations: one confirmed, one organization waiting at its administrator step
    # (its draft holds the ID numbers and the phone).
    confirmed = drive("confirmed")
    waiting_admin = drive("admin", subject_type="enterprise")
    # The host app: sign in, two login codes, one redeemed by jscode2session.
    app = provision("personal")
    make_identity("dump_wx", password="dump-pass-1", phone="13700001111")
    runtime = Runtime(client)
    assert runtime.sign_in("dump_wx", "dump-pass-1")["errcode"] == 0
    redeemed = runtime.login(app.miniprogram.appid)["code"]
    runtime.login(app.miniprogram.appid)
    waiting = {code.session_key for code in LoginCode.objects.filter(used_at__isnull=True)}
    session = Wire(client).get(
        "/sns/jscode2session",
        appid=app.miniprogram.appid,
        secret=app.secret,
        js_code=redeemed,
        grant_type="authorization_code",
    )
    assert session["session_key"] and all(waiting)
    # The server's stable token, kept to be handed back again.
    stable = Wire(client).post(
        "/cgi-bin/stable_token",
        {
            "grant_type": "client_credential",
            "appid": app.miniprogram.appid,
            "secret": app.secret,
        },
    )["access_token"]

    clear = {*waiting, session["session_key"], stable, confirmed.phone, waiting_admin.phone}
    for identity in Identity.objects.all():
        clear |= {identity.phone, identity.id_number}
    for subject in Subject.objects.all():
        clear |= {subject.id_number, subject.admin_id_number, subject.admin_phone}
    clear.discard("")
    assert len(clear) > 10 and "13700001111" in clear

    dump = _dump()
    assert "mpv1:" in dump  # the values are there, sealed
    assert [value for value in sorted(clear) if value in dump] == []
    # The redeemed code's session_key is gone, not only sealed.
    used = LoginCode.objects.filter(used_at__isnull=False)
    assert used.exists() and {code.session_key for code in used} == {""}
