"""The console's left menu (seed 004). One list: later work turns an entry on by giving it
the URL name of its page. An entry without a URL name, or whose URL name does not resolve
yet, is shown greyed with a "coming soon" tag, never as a broken link."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.miniprograms import permissions


@dataclass(frozen=True)
class Entry:
    key: str
    label: str | Promise
    url_name: str | None = None
    # The permission-table action that lets a role open the page (the one its view is
    # gated by, checked by the permission matrix); entries a role may not open are left
    # out of its menu rather than leading to a 404.
    action: str | None = None
    # Arguments of the URL name (a page of a parameterised route, e.g. one help page).
    url_args: tuple[str, ...] = ()
    # Other view names (a trailing "*" matches a prefix) whose pages belong to this entry:
    # the entry is highlighted on them too.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    label: str | Promise | None
    entries: tuple[Entry, ...]


MENU: list[Section] = [
    Section(
        None,
        (
            Entry("home", _("Home"), "console:home", "home.view"),
            Entry("inbox", _("Message centre"), "console:inbox", "inbox.view"),
        ),
    ),
    Section(
        _("Management"),
        (
            Entry("versions", _("Version management"), "console:versions", "versions.view"),
            Entry("members", _("Member management"), "console:members", "members.view"),
            Entry("feedback", _("User feedback")),
        ),
    ),
    Section(_("Statistics"), (Entry("statistics", _("Statistics")),)),
    Section(
        _("Features"),
        (
            Entry(
                "payments",
                _("Payments"),
                "console:payments",
                "payments.view",
                also=("console:payments_*",),
            ),
            # Its own entry: data analysts read the orders without the merchant's page.
            Entry(
                "orders", _("Orders"), "console:orders", "orders.view", also=("console:orders_*",)
            ),
            # PLG-3: the plugin's own pages (basic information, development, documentation,
            # versions, users, settings) sit under the owner's "Mini program plugin".
            Entry(
                "plugin",
                _("Mini program plugin"),
                "console:plugin",
                "plugin.view",
                also=("console:plugin_*",),
            ),
            Entry("scan_to_open", _("Scan to open")),
            Entry("customer_service", _("Customer service")),
            Entry("subscribe_messages", _("Subscription messages")),
            Entry("page_content", _("Page content access")),
        ),
    ),
    # Development → Development management → Development settings, as WeChat places it;
    # the pages keep their /settings/dev/ addresses.
    Section(
        _("Development"),
        (
            Entry(
                "dev_management",
                _("Development management"),
                "console:dev_settings",
                "devsettings.view",
                also=("console:dev_*", "console:upload_key*"),
            ),
            Entry(
                "dev_tools",
                _("Development tools"),
                "console:help_page",
                url_args=("cli",),
            ),
        ),
    ),
    Section(
        _("Settings"),
        (
            Entry(
                "basic_settings",
                _("Basic settings"),
                "console:basic_settings",
                "profile.view",
                also=("console:basic_*",),
            ),
            # PLG-11: Settings > Third-party services > Plugin management.
            Entry(
                "third_party_settings",
                _("Third-party settings"),
                "console:plugins",
                "plugins.view",
                also=("console:plugins_*",),
            ),
            # OPN-1, OA-3, WW-5: the open platform, official accounts and enterprises.
            Entry(
                "link_settings",
                _("Association settings"),
                "console:links",
                "links.view",
                also=("console:links_*",),
            ),
        ),
    ),
]


@dataclass(frozen=True)
class ShownEntry:
    key: str
    label: str | Promise
    url: str | None
    active: bool


def _url(entry: Entry) -> str | None:
    if not entry.url_name:
        return None
    try:
        return reverse(entry.url_name, args=entry.url_args)
    except NoReverseMatch:
        return None


def _active(entry: Entry, view_name: str | None) -> bool:
    if not entry.url_name or not view_name:
        return False
    if view_name == entry.url_name:
        return True
    return any(
        view_name.startswith(name[:-1]) if name.endswith("*") else view_name == name
        for name in entry.also
    )


def _entry(key: str) -> Entry | None:
    return next((e for section in MENU for e in section.entries if e.key == key), None)


def entry_allowed(key: str, roles: frozenset[str] | None = None) -> bool:
    """Whether the roles may open the page of a menu entry (no roles given: anyone;
    an entry without an action is no page of anyone's in particular)."""
    entry = _entry(key)
    if entry is None or roles is None or not entry.action:
        return True
    return permissions.allowed(roles, entry.action)


def entry_url(key: str, roles: frozenset[str] | None = None) -> str | None:
    """The URL of a menu entry when its page exists and the roles may open it (used by
    the home checklist too)."""
    entry = _entry(key)
    if entry is None or not entry_allowed(key, roles):
        return None
    return _url(entry)


def _under(path: str, url: str) -> bool:
    """Whether the page at `path` lies under the entry's address (/versions/12/files/ under
    /versions/); the home page's "/" only covers itself."""
    return path == url or (url != "/" and url.endswith("/") and path.startswith(url))


def _active_key(entries: list[Entry], view_name: str | None, path: str | None) -> str | None:
    """The one entry to highlight: the entry naming the page's view, else the entry whose
    address is the longest prefix of the page's path (a sub-page lights its section's
    entry)."""
    named = next((entry.key for entry in entries if _active(entry, view_name)), None)
    if named is not None or not path:
        return named
    best, best_length = None, 0
    for entry in entries:
        url = _url(entry)
        if url and _under(path, url) and len(url) > best_length:
            best, best_length = entry.key, len(url)
    return best


def build(
    current_view_name: str | None,
    roles: frozenset[str] | None = None,
    *,
    path: str | None = None,
) -> list[tuple[str | Promise | None, list[ShownEntry]]]:
    visible_by_section = [
        (
            section,
            [
                entry
                for entry in section.entries
                if roles is None or entry.action is None or permissions.allowed(roles, entry.action)
            ],
        )
        for section in MENU
    ]
    active = _active_key(
        [entry for _section, visible in visible_by_section for entry in visible],
        current_view_name,
        path,
    )
    shown = []
    for section, visible in visible_by_section:
        if not visible:
            continue
        entries = [
            ShownEntry(
                key=entry.key,
                label=entry.label,
                url=_url(entry),
                active=entry.key == active,
            )
            for entry in visible
        ]
        shown.append((section.label, entries))
    return shown
