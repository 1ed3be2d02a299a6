"""REG-5 under contention: the per-ID-number limit holds when registrations confirm at once."""

import pytest

from miniport.accounts.errors import AccountError
from miniport.accounts.models import Registration, RegistrationStatus, Subject
from miniport.accounts.services.information import ID_RULE, ID_SCOPE
from miniport.core import ids, policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import registration_confirm
from tests.core.concurrency import assert_shared_database, run_concurrently


def _confirm(registration_pk: int):
    registration = Registration.objects.select_related("account").get(pk=registration_pk)
    return registration_confirm(
        actor=Actor.for_account(registration.account), registration=registration
    )


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_with_an_id_number_used_four_times_end_with_exactly_five(
    make_identity, provision, ready_to_confirm
):
    """REG-5: 20 concurrent registrations with the same ID number, when 4 mini programs
    already use it, end with exactly 5."""
    assert_shared_database()
    limit = policy.value(ID_RULE)
    admin = make_identity("shared_admin", real_name="王小明", phone="13700000000")
    digest = ids.digest(admin.id_number)
    for _ in range(limit - 1):
        provision("personal", admin_wechat_id=admin.wechat_id)
    assert Subject.objects.filter(admin_id_digest=digest).count() == limit - 1
    # Each registration has its own administrator phone, so only the ID number is contended.
    pending = [ready_to_confirm(admin, phone=f"1360000{n:04d}").pk for n in range(20)]

    outcomes = run_concurrently(20, lambda i: _confirm(pending[i]))

    winners = [o for o in outcomes if isinstance(o, Subject)]
    refusals = [o for o in outcomes if isinstance(o, PlatformError)]
    assert len(winners) == 1, outcomes
    assert len(refusals) == 19, outcomes
    assert {r.code for r in refusals} == {AccountError.ID_NUMBER_QUOTA}
    assert Subject.objects.filter(admin_id_digest=digest).count() == limit == 5
    assert MiniProgram.objects.filter(subject__admin_id_digest=digest).count() == limit
    assert quotas.used(ID_SCOPE + digest, ID_RULE, "ever") == limit
    # The refused registrations stored nothing: still waiting for their information.
    losers = Registration.objects.filter(pk__in=pending).exclude(pk=winners[0].registration_id)
    assert set(losers.values_list("status", flat=True)) == {RegistrationStatus.PENDING_INFORMATION}
    assert not losers.filter(confirmed_at__isnull=False).exists()
    assert not Subject.objects.filter(registration__in=losers).exists()
