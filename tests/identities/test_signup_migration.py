"""issue 10 item 1: identities stored before the sign-up get the digests of their phone
and ID number from the migration, so the one-phone rule and the count per ID number see
them; where older data gave one phone to several identities, the first keeps it bound."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from miniport.core import ids
from miniport.identities.models import Identity

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("identities", "0005_seal_identity_personal_data")]
PHONE = "13612349876"


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_migration_digests_stored_phones_and_id_numbers(make_identity):
    first = make_identity("earlier_one", phone=PHONE)
    second = make_identity("earlier_two")
    third = make_identity("earlier_three")
    try:
        _migrate(BEFORE)
        # What an older release allowed: two identities with the same phone.
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        OldIdentity = old.get_model("identities", "Identity")
        OldIdentity.objects.filter(pk=second.pk).update(phone=PHONE)
        _migrate(_latest())
    finally:
        _migrate(_latest())

    rows = {row.pk: row for row in Identity.objects.all()}
    assert rows[first.pk].phone_digest == ids.digest(PHONE)
    assert rows[second.pk].phone_digest == "" and rows[second.pk].phone == PHONE
    assert rows[third.pk].phone_digest == ""
    for identity in (first, second, third):
        assert rows[identity.pk].id_number_digest == ids.digest(identity.id_number)
