"""Demo data of the open platform (OPN-1, OPN-2): an open platform account created from
the shop's console (迷你港商城, a certified enterprise), its developer qualification
certification approved on the ops desk, with the shop bound and the demo mini program
(another subject) bound by its administrator's scan. A demo identity then gets one
UnionID in both apps from /sns/jscode2session.

Everything goes through the services, as the console, the desk and the phone would. The
lead's `miniport/demo/__init__.py` calls `ensure_open_platform(actor=..., shop=<the shop
mini program>, miniprogram=<the demo mini program>, say=...)`."""

from __future__ import annotations

import io
from collections.abc import Callable

from miniport.core.actors import Actor

REVIEWER = Actor("staff", "", "ops@miniport.local")


def _account(shop):
    from miniport.links.open_platform.models import OpenAccount

    if shop is None:
        return None
    return OpenAccount.objects.filter(created_by=shop).order_by("id").first()


def _document():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 200), (235, 240, 250)).save(out, format="PNG")
    return SimpleUploadedFile("licence.png", out.getvalue(), content_type="image/png")


def open_platform_present() -> bool:
    """The shop's open account is certified with the shop and the demo mini program bound."""
    from miniport.demo.payments import shop_app

    account = _account(shop_app())
    return account is not None and account.certified and account.bindings.count() >= 2


def summary() -> str:
    """One line for the demo's logins."""
    from miniport.demo.payments import shop_app

    account = _account(shop_app())
    if account is None:
        return ""
    appids = ", ".join(account.bindings.order_by("id").values_list("miniprogram__appid", flat=True))
    return (
        f"open platform account {account.open_appid} ({account.get_certification_display()}), "
        f"bound: {appids or '—'}; jscode2session answers one unionid for both"
    )


def ensure_open_platform(
    *, actor: Actor, shop, miniprogram, say: Callable[[str], None] = print
) -> bool:
    """Create what is missing; True when anything was created. `shop` owns the open
    account; `miniprogram` (the demo mini program, another subject) is bound by scan."""
    from miniport.identities import services as identity_services
    from miniport.links.open_platform import certification, purposes, selectors, services
    from miniport.links.open_platform.models import Certification
    from miniport.review import services as review_services
    from miniport.review.selectors import open_review

    if shop is None:
        return False
    created = False
    account = _account(shop)
    if account is None:
        account = services.open_create(
            actor=Actor.for_identity(shop.admin_identity), miniprogram=shop, via_api=False
        )
        say(f"open platform account {account.open_appid}, created by {shop.appid}")
        created = True
    if account.certification in (Certification.NONE, Certification.REJECTED):
        certification.certification_submit(
            actor=Actor.for_account(shop.account),
            account=account,
            miniprogram=shop,
            documents=[_document()],
        )
        created = True
    if account.certification == Certification.PENDING:
        review = open_review(selectors.OPEN_CERTIFICATION_KIND, account.pk)
        if review is not None:
            review_services.review_approve(actor=REVIEWER, review=review)
            say(f"open platform account {account.open_appid}: certified")
            created = True
        account.refresh_from_db()
    if not account.certified:
        return created
    for app in (shop, miniprogram):
        if app is None or selectors.binding_of(app) is not None:
            continue
        ticket = purposes.bind_request(
            actor=actor, account=account, miniprogram=app, session_key=f"demo-open:{app.pk}"
        )
        identity_services.ticket_confirm(identity=app.admin_identity, token=ticket.token)
        say(f"open platform account {account.open_appid}: {app.appid} bound")
        created = True
    return created
