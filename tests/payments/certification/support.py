"""Shared helpers of the certification tests: applicants, documents, snapshots."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miniport.core.actors import Actor
from miniport.payments.certification import services
from miniport.payments.models import CertificationApplication
from miniport.review.models import Review

STAFF = Actor("staff", "990", "reviewer@example.com")
PHONE = "13912345678"


def png(size=(320, 240), color=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg(size=(320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 200, 10)).save(out, format="JPEG")
    return out.getvalue()


def pdf(body: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        + body
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def upload(data: bytes, name: str = "doc.png", content_type: str = "image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def documents_for(subject_type: str) -> dict:
    if subject_type in ("enterprise", "individual_business"):
        return {"business_licence": upload(png(), "licence.png")}
    return {
        "organisation_certificate": upload(jpeg(), "certificate.jpg", "image/jpeg"),
        "official_letter": upload(pdf(), "letter.pdf", "application/pdf"),
    }


def admin_actor(mp) -> Actor:
    return Actor.for_identity(mp.admin_identity)


def apply(mp, *, renewal=False, actor=None, **overrides):
    kwargs = {
        "documents": documents_for(mp.subject.subject_type),
        "contact_name": "王五",
        "contact_phone": PHONE,
        "renewal": renewal,
    }
    kwargs.update(overrides)
    return services.certification_apply(actor=actor or admin_actor(mp), miniprogram=mp, **kwargs)


def pay(application, reference="REF-1") -> bool:
    return services.certification_fee_paid(
        actor=Actor.system("tests"), application=application, channel="sandbox", reference=reference
    )


def review_of(application) -> Review:
    return Review.objects.get(kind="certification", target_id=str(application.pk))


def state(mp) -> dict:
    """Everything a refused certification action must leave as it was."""
    from django.core.files.storage import default_storage

    from miniport.core.models import AuditEntry, OutboxEvent

    try:
        _dirs, files = default_storage.listdir(f"certification/{mp.appid}")
    except FileNotFoundError:
        files = []
    mp.subject.refresh_from_db()
    return {
        "applications": sorted(
            CertificationApplication.objects.filter(miniprogram=mp).values_list(
                "pk", "state", "fee_channel", "fee_reference", "documents"
            )
        ),
        "reviews": sorted(Review.objects.filter(appid=mp.appid).values_list("pk", "kind", "state")),
        "files": sorted(files),
        "certified_until": mp.subject.certified_until,
        "audit": AuditEntry.objects.filter(action__startswith="certification.").count(),
        "events": OutboxEvent.objects.filter(kind__startswith="certification.").count(),
    }
