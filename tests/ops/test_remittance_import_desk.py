"""REG-6a from the desk: upload a bank statement, see what matched, decide the rest."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext

from miniport.accounts.errors import AccountError
from miniport.accounts.models import (
    BankStatementImport,
    RegistrationStatus,
    UnmatchedRemittanceLine,
)
from miniport.core.actors import Actor
from miniport.core.services import policy_set_override
from miniport.ops.presentation import yuan
from tests.ops.journeys import statement_csv

pytestmark = pytest.mark.django_db


def line_for(registration, **changes):
    remittance = registration.remittance
    values = {
        "date": "2025-03-05",
        "payer": remittance.payer_name,
        "amount": yuan(remittance.amount_fen),
        "reference": remittance.reference,
    }
    values.update(changes)
    return (values["date"], values["payer"], values["amount"], values["reference"])


def upload(client, data: bytes, name="statement.csv"):
    return client.post(
        reverse("ops:remittance_import"),
        {"statement": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_an_exact_line_verifies_the_subject_and_the_result_page_lists_it(
    staff_client, remittance_registration
):
    """REG-6: upload, match, and the result page names the verified registration."""
    response = upload(staff_client, statement_csv(line_for(remittance_registration)))
    statement = BankStatementImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ops:remittance_statement", args=[statement.pk])

    remittance_registration.refresh_from_db()
    assert remittance_registration.status == RegistrationStatus.ACTIVE
    assert remittance_registration.verified_at is not None

    html = staff_client.get(response["Location"]).content.decode()
    matched = re.search(r'data-testid="matched">(.*?)</table>', html, re.S).group(1)
    assert f'data-registration="{remittance_registration.pk}"' in matched
    assert 'data-status="active"' in matched


def test_lines_that_do_not_fit_are_listed_with_their_reasons_and_change_nothing(
    staff_client, remittance_registration
):
    """REG-6: wrong amount, wrong payer and unknown reference wait for a decision."""
    data = statement_csv(
        line_for(remittance_registration, amount="99.99"),
        line_for(remittance_registration, payer="Another Payer Ltd."),
        line_for(remittance_registration, reference="MP99999999"),
    )
    response = upload(staff_client, data)
    html = staff_client.get(response["Location"]).content.decode()

    remittance_registration.refresh_from_db()
    assert remittance_registration.status == RegistrationStatus.PENDING_REMITTANCE
    assert remittance_registration.verified_at is None
    lines = list(UnmatchedRemittanceLine.objects.order_by("id"))
    assert len(lines) == 3
    for line in lines:
        assert f'data-line="{line.pk}"' in html
        assert gettext(line.reason) in html
        assert reverse("ops:remittance_line_assign", args=[line.pk]) in html
        assert reverse("ops:remittance_line_dismiss", args=[line.pk]) in html


BAD_FILES = [
    (b"when,who,how much,ref\n2025-03-05,ACME,0.37,MP1\n", "表头必须是"),
    (b"date,payer account name,amount,reference\n2025-03-05,ACME,0.3x,MP1\n", "第 2 行：金额"),
    (
        "date,payer account name,amount,reference\n2025-03-05,深圳公司,0.37,MP1\n".encode("gbk"),
        AccountError.STATEMENT_NOT_UTF8.message("zh-hans"),
    ),
    (b"", AccountError.STATEMENT_EMPTY.message("zh-hans")),
    (b"\n  \n", AccountError.STATEMENT_EMPTY.message("zh-hans")),
    (b"date,payer account name,amount,reference\n", "表头之后没有流水行"),
]


@pytest.mark.parametrize(
    ("data", "problem"),
    BAD_FILES,
    ids=["wrong-header", "bad-amount", "not-utf8", "empty", "blank", "header-only"],
)
def test_a_bad_file_names_its_problem_and_stores_nothing(
    staff_client, remittance_registration, data, problem
):
    """REG-6: the whole file is refused; no import row, no line, no verification."""
    imports_before = BankStatementImport.objects.count()
    response = upload(staff_client, data)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert BankStatementImport.objects.count() == imports_before
    assert UnmatchedRemittanceLine.objects.count() == 0
    remittance_registration.refresh_from_db()
    assert remittance_registration.status == RegistrationStatus.PENDING_REMITTANCE


def test_a_file_over_the_policy_size_is_refused_before_it_is_read(
    staff_client, remittance_registration
):
    """REG-6 / B-8: the upload limit is the registration.statement_max_bytes row."""
    policy_set_override(
        actor=Actor.system("tests"), key="registration.statement_max_bytes", value=40
    )
    data = statement_csv(line_for(remittance_registration))
    assert len(data) > 40
    response = upload(staff_client, data)
    assert response.status_code == 400
    assert (
        AccountError.STATEMENT_TOO_LARGE.message("zh-hans", limit=40) in response.content.decode()
    )
    assert BankStatementImport.objects.count() == 0
    remittance_registration.refresh_from_db()
    assert remittance_registration.status == RegistrationStatus.PENDING_REMITTANCE


def test_a_statement_with_a_byte_order_mark_is_read(staff_client, remittance_registration):
    """Spreadsheet programs save UTF-8 CSV with a BOM."""
    upload(staff_client, b"\xef\xbb\xbf" + statement_csv(line_for(remittance_registration)))
    remittance_registration.refresh_from_db()
    assert remittance_registration.status == RegistrationStatus.ACTIVE


def test_staff_assign_an_unmatched_line_to_a_registration(staff_client, remittance_registration):
    """REG-6: the payer forgot the reference; staff assign the payment by hand."""
    upload(staff_client, statement_csv(line_for(remittance_registration, reference="")))
    line = UnmatchedRemittanceLine.objects.get()
    prefix = f"line{line.pk}"
    response = staff_client.post(
        reverse("ops:remittance_line_assign", args=[line.pk]),
        {
            f"{prefix}-registration": remittance_registration.pk,
            f"{prefix}-note": "payer confirmed by phone",
        },
    )
    assert response.status_code == 302
    remittance_registration.refresh_from_db()
    assert remittance_registration.status == RegistrationStatus.ACTIVE
    line.refresh_from_db()
    assert line.resolved_at is not None
    html = staff_client.get(response["Location"]).content.decode()
    assert "payer confirmed by phone" in html
    assert reverse("ops:remittance_line_assign", args=[line.pk]) not in html


def test_staff_dismiss_an_unmatched_line_with_a_reason(staff_client, remittance_registration):
    upload(staff_client, statement_csv(("2025-03-05", "Landlord Ltd.", "8000.00", "RENT-03")))
    line = UnmatchedRemittanceLine.objects.get()
    response = staff_client.post(
        reverse("ops:remittance_line_dismiss", args=[line.pk]),
        {f"line{line.pk}-note": "rent, not ours"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.resolution == "dismissed: rent, not ours"


def test_dismissing_without_a_reason_is_refused_and_the_line_stays_open(
    staff_client, remittance_registration
):
    upload(staff_client, statement_csv(("2025-03-05", "Landlord Ltd.", "8000.00", "RENT-03")))
    line = UnmatchedRemittanceLine.objects.get()
    response = staff_client.post(
        reverse("ops:remittance_line_dismiss", args=[line.pk]), {f"line{line.pk}-note": ""}
    )
    assert response.status_code == 400
    line.refresh_from_db()
    assert line.resolved_at is None and line.resolution == ""


def test_assigning_to_a_registration_not_waiting_for_a_remittance_is_refused(
    staff_client, remittance_registration, certification_registration
):
    """Only registrations waiting for a remittance are offered, and others are refused."""
    upload(staff_client, statement_csv(line_for(remittance_registration, reference="")))
    line = UnmatchedRemittanceLine.objects.get()
    response = staff_client.post(
        reverse("ops:remittance_line_assign", args=[line.pk]),
        {f"line{line.pk}-registration": certification_registration.pk, f"line{line.pk}-note": ""},
    )
    assert response.status_code == 400
    line.refresh_from_db()
    assert line.resolved_at is None
    certification_registration.refresh_from_db()
    assert certification_registration.status == RegistrationStatus.PENDING_CERTIFICATION


def test_the_import_page_lists_recent_statements_with_open_lines(
    staff_client, remittance_registration
):
    upload(staff_client, statement_csv(("2025-03-05", "Landlord Ltd.", "8000.00", "RENT-03")))
    statement = BankStatementImport.objects.get()
    html = staff_client.get(reverse("ops:remittance_import")).content.decode()
    assert reverse("ops:remittance_statement", args=[statement.pk]) in html
    assert '<span class="badge warn">1</span>' in html


def test_a_dismissed_line_shows_its_decision_in_the_pages_language(
    staff_client, remittance_registration
):
    """The stored resolution is worded on the page: "dismissed" in Chinese by default,
    the operator's reason as written."""
    upload(staff_client, statement_csv(("2025-03-05", "Landlord Ltd.", "8000.00", "RENT-03")))
    line = UnmatchedRemittanceLine.objects.get()
    staff_client.post(
        reverse("ops:remittance_line_dismiss", args=[line.pk]),
        {f"line{line.pk}-note": "非平台汇款，已退回"},
    )
    page = reverse("ops:remittance_statement", args=[line.statement_id])
    html = staff_client.get(page).content.decode()
    assert "已忽略：非平台汇款，已退回" in html and "dismissed" not in html
    english = staff_client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "dismissed: 非平台汇款，已退回" in english


def test_the_assign_and_dismiss_fields_of_a_line_have_their_own_ids(
    staff_client, remittance_registration
):
    """Each label focuses its own field: the note and the dismissal reason share no id."""
    upload(staff_client, statement_csv(("2025-03-05", "Landlord Ltd.", "8000.00", "RENT-03")))
    line = UnmatchedRemittanceLine.objects.get()
    page = reverse("ops:remittance_statement", args=[line.statement_id])
    html = staff_client.get(page).content.decode()
    ids = re.findall(r'\sid="(id_[^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert f'<label for="id_line{line.pk}-note">' in html
    assert f'<label for="id_dismiss_line{line.pk}-note">' in html
    assert f'name="line{line.pk}-note" maxlength="300" required id="id_dismiss_line' in html


def test_a_registration_verified_from_a_statement_names_it_in_the_pages_language(
    staff_client, remittance_registration
):
    """The history note the matching writes ("statement 1") is worded on the page, and
    the subject's country shows as its name, not its code."""
    upload(staff_client, statement_csv(line_for(remittance_registration)))
    statement = BankStatementImport.objects.get()
    detail = reverse("ops:registration_detail", args=[remittance_registration.pk])
    html = staff_client.get(detail).content.decode()
    assert f"<td>银行流水 {statement.pk}</td>" in html and "statement " not in html
    assert "<dd>中国大陆</dd>" in html and "<dd>CN</dd>" not in html
    english = staff_client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<td>bank statement {statement.pk}</td>" in english
    assert "<dd>Mainland China</dd>" in english
