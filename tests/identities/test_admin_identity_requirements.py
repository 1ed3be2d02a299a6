"""REG-5 / REG-8: the administrator is checked by a scan from a real-name verified adult
identity whose name and ID number are the ones given in the registration."""

from datetime import date

import pytest

from miniport.core import clock, policy
from miniport.core.errors import PlatformError
from miniport.core.validators import make_id_number
from miniport.identities import services
from miniport.identities.errors import IdentityError
from miniport.identities.models import TicketStatus
from tests.identities.support import admin_ticket_for, state


def _years_ago(years: int) -> date:
    today = clock.today()
    return today.replace(year=today.year - years)


def _refused(identity, ticket, code):
    before = state(ticket)
    for attempt in (services.ticket_for_scan, services.ticket_confirm):
        with pytest.raises(PlatformError) as refused:
            attempt(identity=identity, token=ticket.token)
        assert refused.value.code is code
    assert state(ticket) == before
    assert state(ticket)["status"] == TicketStatus.PENDING


def test_matching_real_name_adult_confirms(make_identity, session_key):
    """REG-8: the identity named in the registration confirms by scan."""
    admin = make_identity(real_name="李雷")
    ticket = admin_ticket_for(admin, session_key)
    assert services.ticket_confirm(identity=admin, token=ticket.token).status == "confirmed"


def test_identity_without_real_name_verification_is_refused(make_identity, session_key):
    """REG-5: only real-name verified identities may confirm an administrator check."""
    verified = make_identity(real_name="李雷")
    ticket = admin_ticket_for(verified, session_key)
    unverified = make_identity(real_name="", id_number="")
    _refused(unverified, ticket, IdentityError.IDENTITY_NOT_REAL_NAME)


def test_identity_born_seventeen_years_ago_is_refused_as_underage(make_identity, session_key):
    """REG-5: adults (18+) only; policy registration.min_age_years."""
    minor = make_identity(real_name="韩梅梅", born=_years_ago(17))
    ticket = admin_ticket_for(minor, session_key)
    _refused(minor, ticket, IdentityError.IDENTITY_UNDERAGE)
    with pytest.raises(PlatformError) as refused:
        services.ticket_confirm(identity=minor, token=ticket.token)
    assert str(policy.value("registration.min_age_years")) in refused.value.message("en")


def test_identity_turning_eighteen_today_is_accepted(make_identity, session_key):
    adult = make_identity(
        real_name="韩梅梅", born=_years_ago(policy.value("registration.min_age_years"))
    )
    ticket = admin_ticket_for(adult, session_key)
    assert services.ticket_confirm(identity=adult, token=ticket.token).status == "confirmed"


def test_identity_with_another_name_is_refused_as_mismatch(make_identity, session_key):
    """REG-5: the scanning identity's real name must be the administrator name given."""
    identity = make_identity(real_name="李雷")
    ticket = admin_ticket_for(identity, session_key, real_name="王五")
    _refused(identity, ticket, IdentityError.IDENTITY_MISMATCH)


def test_identity_with_another_id_number_is_refused_as_mismatch(make_identity, session_key):
    """REG-5: the scanning identity's ID number must be the one given."""
    identity = make_identity(real_name="李雷", born=date(1985, 3, 2))
    other_number = make_id_number(date(1985, 3, 2), sequence=999)
    ticket = admin_ticket_for(identity, session_key, id_number=other_number)
    _refused(identity, ticket, IdentityError.IDENTITY_MISMATCH)


def test_an_empty_expected_name_matches_nobody(make_identity, session_key):
    identity = make_identity(real_name="李雷")
    ticket = admin_ticket_for(identity, session_key, real_name="")
    _refused(identity, ticket, IdentityError.IDENTITY_MISMATCH)


def test_requirements_are_checked_again_at_confirmation(make_identity, session_key):
    """Real-name status withdrawn between scan and confirmation is caught."""
    identity = make_identity(real_name="李雷")
    ticket = admin_ticket_for(identity, session_key)
    services.ticket_for_scan(identity=identity, token=ticket.token)
    identity.real_name_verified = False
    identity.save(update_fields=["real_name_verified"])
    before = state(ticket)
    with pytest.raises(PlatformError) as refused:
        services.ticket_confirm(identity=identity, token=ticket.token)
    assert refused.value.code is IdentityError.IDENTITY_NOT_REAL_NAME
    assert state(ticket) == before
