"""The ops desk navigation. New desks add a row here; new review kinds need none, the
one review queue shows every kind."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    # URL names of the ops namespace that start with this prefix highlight the item.
    section: str


NAV: list[NavItem] = [
    NavItem(_("Registrations"), "ops:registrations", "registration"),
    NavItem(_("Remittance import"), "ops:remittance_import", "remittance"),
    NavItem(_("Certification fees"), "ops:certification_fees", "certification"),
    NavItem(_("Merchants"), "ops:merchants", "merchant"),
    NavItem(_("Policy"), "ops:policy", "policy"),
    NavItem(_("Reviews"), "ops:reviews", "review"),
    NavItem(_("Audit log"), "ops:audit", "audit"),
]
