"""CER-1, CER-2: applying for certification. Personal subjects are refused with the reason;
each subject type sends the documents it needs; one application at a time; renewal only
in its window. Every refusal names its code and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.payments.certification import documents
from miniport.payments.certification.errors import CertificationError
from miniport.payments.models import CertificationApplication
from tests.payments.certification.support import (
    apply,
    documents_for,
    pdf,
    png,
    state,
    upload,
)


def refused(mp, code, call, field=None):
    before = state(mp)
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code
    if field is not None:
        assert caught.value.field == field
    assert state(mp) == before
    return caught.value


def test_cer1_personal_subject_is_refused_with_the_reason(personal):
    """CER-1: personal accounts cannot be certified; the message says why."""
    error = refused(
        personal, CertificationError.PERSONAL_NOT_ALLOWED, lambda: apply(personal, documents={})
    )
    assert "个人" in error.message("zh-hans")
    assert "personal" in error.message("en")


@pytest.mark.parametrize("subject_type", ["enterprise", "individual_business"])
def test_cer1_enterprise_applies_with_its_business_licence(provision, subject_type):
    """CER-1: enterprises may certify; CER-2: the fee is the 300 CNY policy row."""
    mp = provision(subject_type).miniprogram
    application = apply(mp)
    assert application.state == "fee_unpaid"
    assert application.kind == "first"
    assert application.fee_fen == 30000
    assert [item["key"] for item in application.documents] == ["business_licence"]
    data, fmt = documents.read(application.documents[0])
    assert fmt == "PNG" and data.startswith(b"\x89PNG")


@pytest.mark.parametrize("subject_type", ["government", "media", "other"])
def test_cer1_organisations_send_certificate_and_official_letter(provision, subject_type):
    """CER-1 / REG-7: government, media and other organisations send their organisation
    certificate and an official letter (image or PDF)."""
    mp = provision(subject_type).miniprogram
    # Provisioned organisations of these types are certified: let the certification lapse.
    with time_machine.travel(mp.subject.certified_until + timedelta(days=1), tick=False):
        application = apply(mp, renewal=True)
        assert application.kind == "renewal"
    keys = [item["key"] for item in application.documents]
    assert keys == ["organisation_certificate", "official_letter"]
    assert [item["format"] for item in application.documents] == ["JPEG", "PDF"]


def test_required_documents_are_data_per_subject_type():
    assert documents.required_for("enterprise") == ("business_licence",)
    assert documents.required_for("government") == ("organisation_certificate", "official_letter")
    assert documents.required_for("personal") == ()


def test_cer1_a_missing_document_is_refused_on_its_field(waiting_government):
    mp = waiting_government
    docs = documents_for("government")
    del docs["official_letter"]
    refused(
        mp,
        CertificationError.DOCUMENT_REQUIRED,
        lambda: apply(mp, documents=docs),
        field="official_letter",
    )


def test_a_document_of_another_subject_type_is_refused(enterprise):
    docs = {**documents_for("enterprise"), "official_letter": upload(png())}
    refused(
        enterprise, CertificationError.DOCUMENT_UNKNOWN, lambda: apply(enterprise, documents=docs)
    )


@pytest.mark.parametrize(
    "data, name",
    [
        (b"GIF89a" + b"\x00" * 40, "animated.gif"),
        (b"<html><script>alert(1)</script></html>", "page.png"),
        (b"", "empty.png"),
        (pdf(b"4 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n"), "script.pdf"),
        (b"%PDF-1.4\nno end of file", "cut.pdf"),
    ],
)
def test_a_bad_document_is_refused_and_nothing_is_kept(enterprise, data, name):
    """Documents are checked by content: not an image or a plain PDF → refused, no file kept."""
    docs = {"business_licence": upload(data, name)}
    error = refused(
        enterprise,
        CertificationError.DOCUMENT_INVALID,
        lambda: apply(enterprise, documents=docs),
    )
    assert error.field == "business_licence"


def test_a_too_large_document_is_refused(enterprise):
    """Larger than certification.document_max_bytes (5 MB)."""
    big = {"business_licence": upload(png((900, 900), (1, 2, 3)) + b"\x00" * 6_000_000)}
    refused(
        enterprise, CertificationError.DOCUMENT_INVALID, lambda: apply(enterprise, documents=big)
    )


def test_images_are_reencoded_without_metadata(enterprise):
    from PIL import Image

    from tests.miniprograms.profile_support import jpeg_with_exif

    application = apply(enterprise, documents={"business_licence": upload(jpeg_with_exif())})
    data, fmt = documents.read(application.documents[0])
    assert fmt == "JPEG"
    import io

    assert not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize(
    "overrides, code, field",
    [
        ({"contact_name": "  "}, CoreError.FIELD_REQUIRED, "contact_name"),
        ({"contact_name": "名" * 65}, CoreError.FIELD_INVALID, "contact_name"),
        ({"contact_phone": "12345"}, CoreError.PHONE_INVALID, "contact_phone"),
    ],
)
def test_contact_details_are_checked(enterprise, overrides, code, field):
    refused(enterprise, code, lambda: apply(enterprise, **overrides), field=field)


def test_only_the_administrator_applies(enterprise, make_identity):
    outsider = Actor.for_identity(make_identity())
    refused(
        enterprise, CertificationError.ADMINISTRATOR_ONLY, lambda: apply(enterprise, actor=outsider)
    )


def test_one_open_application_per_mini_program(enterprise):
    apply(enterprise)
    refused(enterprise, CertificationError.APPLICATION_OPEN, lambda: apply(enterprise))
    assert CertificationApplication.objects.filter(miniprogram=enterprise).count() == 1


def test_a_certified_subject_cannot_apply_again_before_the_window(provision):
    """CER-1: renewal is allowed only within the window before expiry (or after it)."""
    mp = provision("enterprise", certified=True).miniprogram
    refused(mp, CertificationError.ALREADY_CERTIFIED, lambda: apply(mp))
    refused(mp, CertificationError.RENEWAL_NOT_OPEN, lambda: apply(mp, renewal=True))
    window = mp.subject.certified_until - timedelta(days=90)
    with time_machine.travel(window - timedelta(hours=1), tick=False):
        refused(mp, CertificationError.RENEWAL_NOT_OPEN, lambda: apply(mp, renewal=True))
    with time_machine.travel(window + timedelta(hours=1), tick=False):
        application = apply(mp, renewal=True)
    assert application.kind == "renewal"


def test_renewal_after_expiry(provision):
    mp = provision("enterprise", certified=True).miniprogram
    with time_machine.travel(mp.subject.certified_until + timedelta(days=40), tick=False):
        assert apply(mp).kind == "renewal"


def test_nothing_to_renew_before_a_first_certification(enterprise):
    refused(
        enterprise, CertificationError.NOTHING_TO_RENEW, lambda: apply(enterprise, renewal=True)
    )


def test_a_registration_waiting_for_remittance_cannot_apply(db):
    from tests.ops.journeys import confirmed_registration

    registration = confirmed_registration(subject_type="enterprise", method="remittance")
    mp = registration.account.miniprogram
    refused(mp, CertificationError.REGISTRATION_NOT_READY, lambda: apply(mp))


def test_reg7_a_registration_waiting_for_certification_applies(waiting_government):
    application = apply(waiting_government)
    assert application.kind == "first" and application.state == "fee_unpaid"


@pytest.mark.parametrize("value", ["a text, not a file", 12, ["x"]])
def test_a_document_that_is_no_file_is_refused(enterprise, value):
    refused(
        enterprise,
        CertificationError.DOCUMENT_INVALID,
        lambda: apply(enterprise, documents={"business_licence": value}),
        field="business_licence",
    )


def test_documents_that_are_no_mapping_are_refused(enterprise):
    refused(
        enterprise,
        CertificationError.DOCUMENT_UNKNOWN,
        lambda: apply(enterprise, documents=["business_licence"]),
    )


def test_bytes_are_taken_as_a_document(enterprise):
    application = apply(enterprise, documents={"business_licence": png()})
    assert application.documents[0]["format"] == "PNG" and application.documents[0]["name"] == ""
