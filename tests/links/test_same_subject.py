"""Issue 13 section 1: a subject owns several mini programs, each with its own account."""

from __future__ import annotations

import pytest

from miniport.accounts.errors import AccountError
from miniport.accounts.selectors import principal_key, same_principal
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import MiniProgram


def test_a_mini_program_of_the_same_subject_has_its_own_account_and_appid(provision, same_subject):
    first = provision("enterprise", certified=True).miniprogram
    second = same_subject(first).miniprogram
    assert second.appid != first.appid
    assert second.account_id != first.account_id
    assert second.subject.credit_code == first.subject.credit_code
    assert second.subject.name == first.subject.name
    assert second.subject.subject_type == "enterprise"
    assert second.subject.is_certified
    assert second.admin_identity_id == first.admin_identity_id
    assert same_principal(first.subject, second.subject)


def test_mini_programs_of_different_subjects_are_not_the_same_principal(provision):
    first = provision("enterprise").miniprogram
    other = provision("enterprise").miniprogram
    assert not same_principal(first.subject, other.subject)
    personal = provision("personal").miniprogram
    assert principal_key(personal.subject).startswith("id:")


def test_a_personal_subject_owns_at_most_its_reg5_places(provision, same_subject, settings):
    """REG-5: at most 5 mini programs per ID number; the sixth is refused, nothing stored."""
    first = provision("personal").miniprogram
    for _ in range(4):
        same_subject(first)
    before = MiniProgram.objects.count()
    with pytest.raises(PlatformError) as refused:
        same_subject(first)
    assert refused.value.code == AccountError.ID_NUMBER_QUOTA
    assert MiniProgram.objects.count() == before
