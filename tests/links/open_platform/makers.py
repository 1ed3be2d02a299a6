"""Makers of the open platform tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miniport.core.actors import Actor
from miniport.links.open_platform import certification, services
from miniport.links.open_platform.models import OpenAccount
from miniport.review import services as review_services

REVIEWER = Actor("staff", "4410", "open-reviewer@miniport.example")
SYSTEM = Actor.system("tests")


def upload(name: str = "licence.png", data: bytes | None = None):
    if data is None:
        out = io.BytesIO()
        Image.new("RGB", (60, 40), (20, 160, 60)).save(out, format="PNG")
        data = out.getvalue()
    return SimpleUploadedFile(name, data, content_type="image/png")


def console_account(miniprogram) -> OpenAccount:
    return services.open_create(actor=SYSTEM, miniprogram=miniprogram, via_api=False)


def certified_account(miniprogram) -> OpenAccount:
    """An open account made in the console and certified on the ops desk."""
    account = console_account(miniprogram)
    review = certification.certification_submit(
        actor=Actor.for_account(miniprogram.account),
        account=account,
        miniprogram=miniprogram,
        documents=[upload()],
    )
    review_services.review_approve(actor=REVIEWER, review=review)
    account.refresh_from_db()
    return account


def open_appid_of(miniprogram) -> str:
    """The open_appid of an open account of the mini program's subject, made (certified,
    with the mini program bound) the first time: the URL argument of the console pages
    of one open account (tests/console/console_routes.py)."""
    from miniport.links.open_platform import selectors

    account = selectors.accounts_of_subject(miniprogram).filter(certification="certified").first()
    if account is None:
        account = certified_account(miniprogram)
        services.open_bind(actor=SYSTEM, account=account, miniprogram=miniprogram, via_api=False)
    return account.open_appid


def pending_certification(miniprogram) -> OpenAccount:
    """An open account of the mini program's subject whose certification waits on the desk."""
    account = console_account(miniprogram)
    certification.certification_submit(
        actor=Actor.for_account(miniprogram.account),
        account=account,
        miniprogram=miniprogram,
        documents=[upload()],
    )
    account.refresh_from_db()
    return account
