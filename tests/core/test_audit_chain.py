import pytest

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry


@pytest.mark.django_db
def test_audit_rows_form_an_intact_chain():
    actor = Actor.system("tests")
    for n in range(3):
        audit.record(actor, "test.action", after={"n": n})
    assert audit.verify_chain() is None
    hashes = list(AuditEntry.objects.values_list("prev_hash", "hash"))
    assert hashes[1][0] == hashes[0][1]


@pytest.mark.django_db
def test_editing_a_row_behind_the_models_back_breaks_the_chain():
    actor = Actor.system("tests")
    first = audit.record(actor, "test.action", after={"n": 1})
    audit.record(actor, "test.action", after={"n": 2})
    AuditEntry.objects.filter(pk=first.pk).update(after={"n": 99})
    assert audit.verify_chain() == first.pk


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_or_deleted_through_the_model():
    entry = audit.record(Actor.system(), "test.action")
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.django_db
def test_personal_numbers_are_redacted_in_audit_rows():
    entry = audit.record(
        Actor.system(),
        "test.action",
        after={"id_number": "110101199001011234", "phone": "13800000000"},
    )
    assert "110101199001011234" not in str(entry.after)
    assert "13800000000" not in str(entry.after)
