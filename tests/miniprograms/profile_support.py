"""Fixtures and helpers for the mini program information tests (INF-1..INF-8).

Test modules import the fixtures they use from here."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from miniport.core.actors import Actor
from miniport.core.models import AuditEntry, QuotaCounter
from miniport.miniprograms.models import MiniProgram, MiniProgramCategory, PendingName
from miniport.review.models import Review


@pytest.fixture(name="personal_app")
def personal_app_fixture(provision):
    return provision("personal", name="个人应用甲").miniprogram


@pytest.fixture(name="company_app")
def company_app_fixture(provision):
    """An enterprise verified by remittance, active."""
    return provision("enterprise", name="企业应用乙").miniprogram


@pytest.fixture(name="admin_actor")
def admin_actor_fixture(personal_app):
    return Actor.for_identity(personal_app.admin_identity)


def staff_reviewer(email: str = "staff-reviewer@miniport.example") -> Actor:
    """A reviewer as the desk makes one: a staff account of its own, so that it belongs
    to no mini program (a reviewer who does is refused)."""
    from miniport.accounts.models import Account, AccountKind

    staff = Account.objects.create_user(
        email, "Passw0rd!", is_staff=True, is_active=True, kind=AccountKind.STAFF
    )
    return Actor.for_account(staff)


@pytest.fixture(name="staff_actor")
def staff_actor_fixture(db):
    return staff_reviewer()


def actor_of(miniprogram) -> Actor:
    return Actor.for_identity(miniprogram.admin_identity)


def fresh(miniprogram) -> MiniProgram:
    return MiniProgram.objects.get(pk=miniprogram.pk)


def snapshot(miniprogram) -> dict:
    """What a refused information change must leave exactly as it was."""
    mp = fresh(miniprogram)
    return {
        "fields": (mp.name, mp.short_name, mp.avatar.name, mp.introduction),
        "counters": sorted(QuotaCounter.objects.values_list("scope", "rule", "window", "used")),
        "reviews": sorted(
            Review.objects.values_list("id", "kind", "target_id", "state", "reasons", "claimed_by")
        ),
        "pending_names": sorted(
            PendingName.objects.values_list("miniprogram_id", "requested_name")
        ),
        "categories": sorted(
            MiniProgramCategory.objects.values_list(
                "miniprogram_id", "first_id", "second_id", "status"
            )
        ),
        "audit_rows": AuditEntry.objects.count(),
    }


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (300, 300), *, color=(200, 30, 30), **save
) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, color)
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_exif(size: tuple[int, int] = (400, 300)) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "tracking-software 1.0"  # Software
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_with_text(size: tuple[int, int] = (300, 300)) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "someone@example.com")
    info.add_text("Comment", "private note")
    out = io.BytesIO()
    Image.new("RGB", size, (0, 200, 0)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares an enormous canvas: the header of a decompression bomb,
    with just enough compressed data that decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 4096)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def console_login(client, miniprogram, identity=None):
    """A console session of the mini program's account, confirmed by `identity`'s scan
    (the administrator by default)."""
    from miniport.console import session as console_session

    client.force_login(miniprogram.account)
    store = client.session
    store[console_session.IDENTITY] = (identity or miniprogram.admin_identity).pk
    store.save()
    return client


def request_name(miniprogram, name: str):
    """INF-2: the administrator asks for a new name, which opens a name review."""
    from miniport.miniprograms.services import profile

    return profile.name_request(actor=actor_of(miniprogram), miniprogram=miniprogram, name=name)


def add_bank_category(miniprogram) -> MiniProgramCategory:
    """INF-6: a sensitive category (9/901) with its licence, which opens a category review."""
    from miniport.miniprograms.services import categories, media

    licence = media.media_upload(
        actor=actor_of(miniprogram),
        miniprogram=miniprogram,
        upload=image_bytes("PNG"),
        media_type="image",
    )
    return categories.category_add(
        actor=actor_of(miniprogram),
        miniprogram=miniprogram,
        first=9,
        second=901,
        certificates=[{"key": "金融许可证", "value": licence.media_id}],
    )
