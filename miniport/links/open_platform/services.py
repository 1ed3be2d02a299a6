"""Open platform accounts: creation, binding, unbinding (OPN-1).

Rules (errcodes of wechat-api section 10):
- one open account per app: the binding's unique mini program column; a second binding
  is ALREADY_BOUND (89000), whoever asks, also under concurrency;
- the limit of apps per open account is a policy row, counted by a conditional UPDATE of
  `bound_count` in the binding's transaction (APP_LIMIT, 89004): certified accounts
  `open.certified_max_apps`, uncertified ones created by API `open.uncertified_max_apps`;
- by API (`via_api`): only apps of the open account's own subject (NOT_SAME_SUBJECT, 89001),
  only accounts created by API or certified (NOT_CERTIFIED, 89036);
- from the owner's console: only certified accounts (NOT_CERTIFIED), apps of any subject,
  each confirmed by its administrator's scan (`purposes.py`).
Every write: one transaction, an audit row, an event."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from miniport.accounts.selectors import principal_key
from miniport.core import audit, clock, events, ids, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.links.open_platform.errors import OpenError
from miniport.links.open_platform.models import Certification, OpenAccount, OpenBinding
from miniport.miniprograms.models import MiniProgram


def _limit(account: OpenAccount) -> int:
    if account.certified:
        return policy.value("open.certified_max_apps")
    return policy.value("open.uncertified_max_apps")


def _new_open_appid() -> str:
    # The shape of an AppID; never one an app or another open account holds.
    while True:
        candidate = ids.new_appid()
        taken = (
            OpenAccount.objects.filter(open_appid=candidate).exists()
            or MiniProgram.objects.filter(appid=candidate).exists()
        )
        if not taken:
            return candidate


def open_create(
    *, actor: Actor, miniprogram: MiniProgram, via_api: bool, bind_creator: bool = False
) -> OpenAccount:
    """A new open account owned by the mini program's subject, uncertified. By API
    (/cgi-bin/open/create), and from the console with `bind_creator` (the administrator
    creating it from the mini program's own settings), the creating app is bound to it at
    once, and an app already bound is ALREADY_BOUND (89000): a bound app cannot go on
    making accounts. Without either it starts with no app bound."""
    binds = via_api or bind_creator
    with transaction.atomic():
        if binds and OpenBinding.objects.filter(miniprogram=miniprogram).exists():
            raise PlatformError(OpenError.ALREADY_BOUND, field="appid")
        account = OpenAccount.objects.create(
            open_appid=_new_open_appid(),
            subject=miniprogram.subject,
            principal_key=principal_key(miniprogram.subject),
            created_by=miniprogram,
            created_by_api=via_api,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "open.create",
            target=account,
            appid=miniprogram.appid,
            after={"open_appid": account.open_appid, "by_api": via_api},
        )
        events.emit("open.created", {"open_appid": account.open_appid}, appid=miniprogram.appid)
        if binds:
            _bind(actor, account, miniprogram)
    return account


def check_bindable(account: OpenAccount, miniprogram: MiniProgram, *, via_api: bool) -> None:
    """The refusals known before the binding is written (the limit is counted then)."""
    if via_api:
        if account.principal_key != principal_key(miniprogram.subject):
            raise PlatformError(OpenError.NOT_SAME_SUBJECT, field="open_appid")
        if not (account.created_by_api or account.certified):
            raise PlatformError(OpenError.NOT_CERTIFIED, field="open_appid")
    elif not account.certified:
        raise PlatformError(OpenError.NOT_CERTIFIED, field="open_appid")
    if OpenBinding.objects.filter(miniprogram=miniprogram).exists():
        raise PlatformError(OpenError.ALREADY_BOUND, field="appid")


def open_bind(
    *, actor: Actor, account: OpenAccount, miniprogram: MiniProgram, via_api: bool
) -> OpenBinding:
    """Bind the mini program to the open account (rules in the module docstring)."""
    check_bindable(account, miniprogram, via_api=via_api)
    with transaction.atomic():
        return _bind(actor, account, miniprogram)


def _bind(actor: Actor, account: OpenAccount, miniprogram: MiniProgram) -> OpenBinding:
    try:
        with transaction.atomic():
            binding = OpenBinding.objects.create(
                open_account=account, miniprogram=miniprogram, bound_at=clock.now()
            )
    except IntegrityError:
        raise PlatformError(OpenError.ALREADY_BOUND, field="appid") from None
    limit = _limit(account)
    taken = OpenAccount.objects.filter(pk=account.pk, bound_count__lt=limit).update(
        bound_count=F("bound_count") + 1
    )
    if not taken:
        raise PlatformError(OpenError.APP_LIMIT, field="open_appid", limit=limit)
    audit.record(
        actor,
        "open.bind",
        target=account,
        appid=miniprogram.appid,
        after={"open_appid": account.open_appid, "appid": miniprogram.appid},
    )
    events.emit(
        "open.bound",
        {"open_appid": account.open_appid, "appid": miniprogram.appid},
        appid=miniprogram.appid,
    )
    return binding


def open_unbind(*, actor: Actor, account: OpenAccount, miniprogram: MiniProgram) -> None:
    """Unbind the mini program from the open account (from either side, or by API);
    NOT_BOUND_HERE (89002) when it is not bound to that account. The place is given back."""
    with transaction.atomic():
        removed, _ = OpenBinding.objects.filter(
            open_account=account, miniprogram=miniprogram
        ).delete()
        if not removed:
            raise PlatformError(OpenError.NOT_BOUND_HERE, field="open_appid")
        OpenAccount.objects.filter(pk=account.pk, bound_count__gt=0).update(
            bound_count=F("bound_count") - 1
        )
        audit.record(
            actor,
            "open.unbind",
            target=account,
            appid=miniprogram.appid,
            before={"open_appid": account.open_appid, "appid": miniprogram.appid},
        )
        events.emit(
            "open.unbound",
            {"open_appid": account.open_appid, "appid": miniprogram.appid},
            appid=miniprogram.appid,
        )


def certification_decided(
    *, actor: Actor, account: OpenAccount, approved: bool, reasons: list[str]
) -> None:
    """The ops desk's decision on the developer qualification certification (review kind)."""
    with transaction.atomic():
        account.certification = Certification.CERTIFIED if approved else Certification.REJECTED
        account.reasons = "" if approved else "\n".join(reasons)
        account.save(update_fields=["certification", "reasons"])
        action = "open.certification_approve" if approved else "open.certification_reject"
        audit.record(
            actor,
            action,
            target=account,
            appid=account.created_by.appid if account.created_by else "",
            after={"certification": account.certification, "reasons": account.reasons},
        )
