"""REG-7: government, media and other organizations are verified by certification only."""

import pytest

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    CertificationOrder,
    CertificationOrderStatus,
    RegistrationStatus,
    Remittance,
    VerificationMethod,
)
from miniport.core.errors import PlatformError

CERTIFYING = ["government", "media", "other"]


@pytest.mark.parametrize("subject_type", CERTIFYING)
@pytest.mark.parametrize("method", [VerificationMethod.REMITTANCE, VerificationMethod.NONE])
def test_government_media_and_other_organizations_cannot_choose_another_way(
    drive, snapshot, subject_type, method
):
    """REG-7: remittance (or no verification) is refused for these types."""
    walk = drive("activated", subject_type=subject_type)
    before = snapshot(walk)
    with pytest.raises(PlatformError) as caught:
        services.registration_save_subject(
            actor=walk.actor,
            registration=walk.registration,
            data={**walk.data, "verification_method": method},
        )
    assert caught.value.code == AccountError.VERIFICATION_METHOD_NOT_ALLOWED
    assert caught.value.field == "verification_method"
    assert snapshot(walk) == before


@pytest.mark.parametrize("subject_type", CERTIFYING)
def test_government_media_and_other_organizations_wait_for_certification(drive, subject_type):
    """REG-7: after confirmation they wait for certification with a fee order."""
    walk = drive(subject_type=subject_type)
    assert walk.registration.status == RegistrationStatus.PENDING_CERTIFICATION
    order = CertificationOrder.objects.get(registration=walk.registration)
    assert (order.amount_fen, order.status) == (30000, CertificationOrderStatus.UNPAID)
    assert not Remittance.objects.filter(registration=walk.registration).exists()
