"""Reads about open platform accounts used by several surfaces (OPN-1, OPN-2)."""

from __future__ import annotations

from functools import cache

from django.db.models import QuerySet

from miniport.accounts.selectors import principal_key
from miniport.core import hotpath
from miniport.identities.selectors import unionid_for_identity_pk
from miniport.links.open_platform.models import OpenAccount, OpenBinding
from miniport.miniprograms.models import MiniProgram
from miniport.payments.models import Order
from miniport.payments.sandbox.orders import PAID_STATES

OPEN_CERTIFICATION_KIND = "open_certification"


def account_by_open_appid(open_appid: object) -> OpenAccount | None:
    if not isinstance(open_appid, str) or not open_appid or "\x00" in open_appid:
        return None
    return OpenAccount.objects.select_related("subject").filter(open_appid=open_appid).first()


def binding_of(miniprogram: MiniProgram) -> OpenBinding | None:
    return (
        OpenBinding.objects.select_related("open_account").filter(miniprogram=miniprogram).first()
    )


def accounts_of_subject(miniprogram: MiniProgram) -> QuerySet[OpenAccount]:
    """The open accounts the mini program's subject owns (the same principal)."""
    return OpenAccount.objects.filter(principal_key=principal_key(miniprogram.subject)).order_by(
        "id"
    )


def owned_account(miniprogram: MiniProgram, open_appid: object) -> OpenAccount | None:
    """An open account of the mini program's subject, None for any other (its pages 404)."""
    account = account_by_open_appid(open_appid)
    if account is None or account.principal_key != principal_key(miniprogram.subject):
        return None
    return account


def bound_apps(account: OpenAccount) -> QuerySet[OpenBinding]:
    return account.bindings.select_related("miniprogram").order_by("bound_at", "id")


# The open_appid of each mini program, read on every jscode2session (a hot path): one
# driver-level statement (core.hotpath). Not remembered: both callers (jscode2session,
# the login functional page) ask right after writing a login code, which would always
# have changed SQLite's change stamp, so a remembered answer was never used.


@cache
def _sql_open_appid() -> str:
    binding, account = OpenBinding._meta, OpenAccount._meta
    return (
        f'SELECT a."open_appid" AS open_appid FROM "{binding.db_table}" b '  # noqa: S608 - names from _meta
        f'JOIN "{account.db_table}" a ON a."id" = b."open_account_id" '
        f'WHERE b."miniprogram_id" = %s'
    )


def open_appid_of(miniprogram_id: int) -> str:
    """The open_appid the mini program is bound to, "" when none."""
    row = hotpath.first_row(_sql_open_appid(), [miniprogram_id])
    return row["open_appid"] if row else ""


# The login's value (credential_sql.LOGIN_COLUMNS) of the open_appid the app is bound to.
LOGIN_OPEN_APPID = "open_appid"


def login_open_appid_sql() -> str:
    """The open_appid of the app `mp` of the login statement, NULL when unbound (one
    binding per mini program at most)."""
    binding, account = OpenBinding._meta, OpenAccount._meta
    return (
        f'SELECT a."open_appid" FROM "{binding.db_table}" b '  # noqa: S608 - names from _meta
        f'JOIN "{account.db_table}" a ON a."id" = b."open_account_id" '
        f'WHERE b."miniprogram_id" = mp."id"'
    )


def unionid_for_login(identity_pk: int, login_values: dict[str, object]) -> str:
    """OPN-2 for a login: the identity's UnionID for the app, from the open_appid read
    with the login; "" when the app is bound to no open account."""
    open_appid = login_values.get(LOGIN_OPEN_APPID) or ""
    return unionid_for_identity_pk(identity_pk, str(open_appid)) if open_appid else ""


def unionid_of(identity_pk: int, miniprogram_id: int) -> str:
    """OPN-2: the identity's UnionID for the app, "" when the app is bound to no open
    account (then WeChat omits the field)."""
    open_appid = open_appid_of(miniprogram_id)
    return unionid_for_identity_pk(identity_pk, open_appid) if open_appid else ""


def _order_key(value: object, longest: int) -> str | None:
    """The value to look up; "" when not given; None when it cannot name an order (longer
    than its column, or a NUL, which PostgreSQL refuses)."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > longest or "\x00" in value:
        return None
    return value.strip()


def paid_order(
    miniprogram: MiniProgram,
    *,
    transaction_id: object = "",
    mch_id: object = "",
    out_trade_no: object = "",
) -> Order | None:
    """A paid order (refunded ones included) of the mini program's own merchant, with its
    payer: by transaction_id when given, else by mch_id and out_trade_no; None for
    anything else (getpaidunionid's 89300)."""
    orders = Order.objects.select_related("payer").filter(
        merchant__miniprogram=miniprogram,
        appid=miniprogram.appid,
        trade_state__in=PAID_STATES,
        payer__isnull=False,
    )
    by_transaction = _order_key(transaction_id, 32)
    if by_transaction != "":
        return orders.filter(transaction_id=by_transaction).first() if by_transaction else None
    mch, out = _order_key(mch_id, 13), _order_key(out_trade_no, 32)
    if not mch or not out:
        return None
    return orders.filter(merchant__mch_id=mch, out_trade_no=out).first()
