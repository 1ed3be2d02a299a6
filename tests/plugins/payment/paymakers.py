"""Helpers of the PLG-10 tests: a plugin whose owner mini program has a payment merchant,
proof documents, a reviewer, the application's review."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.payments.merchants.platform import new_api_key, new_mch_id
from miniport.payments.models import Merchant, MerchantKind

REVIEWER = Actor("staff", "4402", "plugin-reviewer@miniport.example")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png(color=(20, 160, 60), size=(60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def upload(name: str = "proof.png", data: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(name, png() if data is None else data, content_type=content_type)


def give_merchant(miniprogram) -> Merchant:
    """The mini program's payment merchant, as a row (like tests.payments.shops)."""
    now = clock.now()
    return Merchant.objects.create(
        mch_id=new_mch_id(),
        kind=MerchantKind.MINIPROGRAM,
        miniprogram=miniprogram,
        name=miniprogram.name or miniprogram.appid,
        api_key=new_api_key(),
        key_set_at=now,
        created_at=now,
    )


@pytest.fixture
def paying_plugin(make_plugin):
    """An owner with a plugin and an active payment merchant (`owner.merchant`)."""

    def factory():
        owner = make_plugin()
        owner.merchant = give_merchant(owner.miniprogram)
        return owner

    return factory


def review_of(application):
    from miniport.plugins.payment.selectors import application_review

    return application_review(application)
