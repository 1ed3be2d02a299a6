"""Development settings (DEV-1..DEV-3): AppSecret reset, API IP whitelist, server and
web-view domains; the row they live in and the record of each change.

Domain rules (DEV-3, wechat-api 6): each server-domain list takes one scheme —
https:// for request, uploadFile and downloadFile, wss:// for socket, udp:// and tcp://
for UDP and TCP — followed by a host name and an optional port; IP literals, localhost,
user information, paths, queries and fragments are refused. Web-view (business)
domains are https:// host names without a port, and personal mini programs have none
(89231). Every change of either kind takes one of the month's
dev.domain_modifications_per_month, whether it comes from the console or the API.

Message push lives in `services.push`. Every change here locks, compares, saves and
records through `services.changes.settings_change`.

In `domains_modify`, "set" replaces the lists present in the request and leaves the
others alone (wechatpy knows only four of the six lists); "add" and "delete" work entry
by entry. The API is lenient (invalid entries come back in invalid_* lists, WeChat's
"after filtered"); the console is strict (the first invalid entry is named).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from django.db import transaction

from miniport.core import policy, quotas
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities.errors import IdentityError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import DevSettings, MiniProgram
from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS
from miniport.miniprograms.services.changes import settings_change, settings_for

DOMAIN_SCHEMES = {
    "requestdomain": "https",
    "wsrequestdomain": "wss",
    "uploaddomain": "https",
    "downloaddomain": "https",
    "udpdomain": "udp",
    "tcpdomain": "tcp",
}
DOMAIN_ACTIONS = ("get", "set", "add", "delete")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)\Z")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z")
_PORT = re.compile(r"^[0-9]{1,5}\Z")


def _month_scope(miniprogram: MiniProgram) -> str:
    return f"app:{miniprogram.appid}"


def domain_modifications_left(miniprogram: MiniProgram) -> int:
    return quotas.remaining(
        _month_scope(miniprogram), "dev.domain_modifications_per_month", "month"
    )


def _consume_modification(miniprogram: MiniProgram) -> None:
    quotas.consume(
        _month_scope(miniprogram),
        "dev.domain_modifications_per_month",
        window="month",
        error=MiniProgramError.DOMAIN_MONTHLY_QUOTA,
    )


def _checked_action(action: str) -> str:
    action = (action or "").strip()
    if action not in DOMAIN_ACTIONS:
        raise PlatformError(MiniProgramError.INVALID_ACTION, field="action")
    return action


# --- AppSecret (DEV-2) ------------------------------------------------------------------


def secret_reset_request(*, actor: Actor, miniprogram: MiniProgram, session_key: str):
    """A QR ticket the administrator scans to confirm generating or resetting the secret."""
    from miniport.identities import services as identity_services
    from miniport.miniprograms import purposes

    label = miniprogram.name or miniprogram.appid
    return identity_services.ticket_create(
        purpose=purposes.SECRET_RESET,
        session_key=session_key,
        expected_identity=miniprogram.admin_identity,
        payload={"appid": miniprogram.appid},
        summary=label,
    )


def secret_reset_complete(
    *, actor: Actor, miniprogram: MiniProgram, ticket_token: str, session_key: str
) -> str:
    """Issue a new AppSecret once the administrator's scan confirmed this reset.
    Returns the secret, to be shown once; the previous one stops working at once."""
    from miniport.identities import services as identity_services
    from miniport.miniprograms import purposes
    from miniport.miniprograms.services import miniprogram_issue_secret

    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=ticket_token, session_key=session_key, purpose=purposes.SECRET_RESET
        )
        if ticket.payload.get("appid") != miniprogram.appid:
            raise PlatformError(MiniProgramError.SECRET_TICKET_MISMATCH)
        if ticket.confirmed_by_id != miniprogram.admin_identity_id:
            raise PlatformError(IdentityError.TICKET_WRONG_IDENTITY)
        return miniprogram_issue_secret(actor=actor, miniprogram=miniprogram)


# --- API IP whitelist (DEV-2) -------------------------------------------------------------


def parse_ip_entry(raw: str) -> str:
    """One IPv4 address or CIDR range, normalised ("10.0.0.9/24" -> "10.0.0.0/24")."""
    text = (raw or "").strip()
    try:
        if "/" in text:
            network = ipaddress.ip_network(text, strict=False)
            if network.version != 4:
                raise ValueError(text)
            return str(network) if network.prefixlen < 32 else str(network.network_address)
        return str(ipaddress.IPv4Address(text))
    except ValueError:
        raise PlatformError(
            MiniProgramError.IP_WHITELIST_INVALID, field="ip_whitelist", value=text[:64]
        )


def ip_allowed(whitelist: list[str], address: str) -> bool:
    """Empty whitelist: everyone. Otherwise the caller's address must be inside an entry."""
    if not whitelist:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for entry in whitelist:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except (ValueError, TypeError):
            continue
    return False


def _checked_whitelist(entries: list[str]) -> list[str]:
    """The entries parsed, normalised and without repeats; too many are refused."""
    parsed = list(dict.fromkeys(parse_ip_entry(e) for e in entries if (e or "").strip()))
    limit = policy.value("dev.ip_whitelist_max")
    if len(parsed) > limit:
        raise PlatformError(MiniProgramError.IP_WHITELIST_LIMIT, field="ip_whitelist", limit=limit)
    return parsed


def ip_whitelist_request(
    *, actor: Actor, miniprogram: MiniProgram, entries: list[str], session_key: str
):
    """Ask the administrator to confirm by scan a new API IP whitelist (issue 9 item 9,
    as WeChat asks): a QR ticket bound to the asking browser session that carries the
    checked list. Nothing changes until `ip_whitelist_complete`.

    Refused, with no ticket made: an invalid entry (IP_WHITELIST_INVALID), too many
    (IP_WHITELIST_LIMIT), the list already in force (IP_WHITELIST_NO_CHANGE).
    """
    from miniport.identities import services as identity_services
    from miniport.miniprograms import purposes

    parsed = _checked_whitelist(entries)
    if parsed == list(settings_for(miniprogram).ip_whitelist or []):
        raise PlatformError(MiniProgramError.IP_WHITELIST_NO_CHANGE, field="ip_whitelist")
    label = miniprogram.name or miniprogram.appid
    return identity_services.ticket_create(
        purpose=purposes.IP_WHITELIST,
        session_key=session_key,
        expected_identity=miniprogram.admin_identity,
        payload={"appid": miniprogram.appid, "ip_whitelist": parsed},
        summary=f"{label}: {', '.join(parsed) or '-'}",
    )


def ip_whitelist_complete(
    *, actor: Actor, miniprogram: MiniProgram, ticket_token: str, session_key: str
) -> list[str]:
    """Replace the API IP whitelist with the list the administrator's scan confirmed;
    an empty list allows every address. Returns the list now in force.

    Refused, with nothing changed and the ticket left as it was: a ticket of another
    browser session (TICKET_FOREIGN_SESSION), not yet confirmed (TICKET_PENDING), denied,
    expired or used; a ticket for another mini program (IP_WHITELIST_TICKET_MISMATCH);
    confirmed by anyone but the administrator (TICKET_WRONG_IDENTITY); a list the
    current policy no longer admits. The change is audited (devsettings.ip_whitelist)
    with who confirmed it.
    """
    from miniport.identities import services as identity_services
    from miniport.miniprograms import purposes

    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=ticket_token, session_key=session_key, purpose=purposes.IP_WHITELIST
        )
        if ticket.payload.get("appid") != miniprogram.appid:
            raise PlatformError(MiniProgramError.IP_WHITELIST_TICKET_MISMATCH)
        if ticket.confirmed_by_id is None or ticket.confirmed_by_id != (
            miniprogram.admin_identity_id
        ):
            raise PlatformError(IdentityError.TICKET_WRONG_IDENTITY)
        parsed = _checked_whitelist(list(ticket.payload.get("ip_whitelist") or []))
        change = settings_change(
            actor=actor,
            miniprogram=miniprogram,
            action="ip_whitelist",
            part="ip_whitelist",
            read=lambda dev: {"ip_whitelist": list(dev.ip_whitelist or [])},
            change=lambda before: {"ip_whitelist": parsed},
            note={"confirmed_by": ticket.confirmed_by_id},
        )
    return change.after["ip_whitelist"]


# --- server domains (DEV-3) ---------------------------------------------------------------


def _valid_host(host: str) -> bool:
    if not host or len(host) > 253 or host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
        return False  # IP literals are not domains
    except ValueError:
        pass
    labels = host.split(".")
    return (
        len(labels) >= 2
        and all(_LABEL.match(label) for label in labels)
        and bool(_TLD.match(labels[-1]))
    )


def normalize_domain(raw: str, scheme: str, *, allow_port: bool = True) -> str | None:
    """The canonical form "scheme://host[:port]", or None when the entry is not valid."""
    text = (raw or "").strip().lower()
    prefix = f"{scheme}://"
    if not text.startswith(prefix):
        return None
    rest = text[len(prefix) :]
    if rest.endswith("/"):
        rest = rest[:-1]
    if not rest or any(ch in rest for ch in "/?#@\\ \t"):
        return None
    host, _, port = rest.partition(":")
    has_port = bool(port) or rest.endswith(":")
    if has_port and (not allow_port or not _PORT.match(port) or not 0 < int(port) < 65536):
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if not _valid_host(host) or host in _api_hosts():
        return None
    return f"{prefix}{host}:{int(port)}" if port else f"{prefix}{host}"


def _api_hosts() -> set[str]:
    """Hosts of server APIs that a mini program must never call directly (the AppSecret
    would ship inside the package): WeChat's, which the reference forbids, and this
    platform's own."""
    from urllib.parse import urlsplit

    from django.conf import settings

    own = (urlsplit(settings.SITE_URL).hostname or "").lower()
    return {"api.weixin.qq.com", own} - {""}


@dataclass
class DomainChange:
    domains: dict[str, list[str]]
    invalid: dict[str, list[str]] = field(
        default_factory=lambda: {name: [] for name in DOMAIN_FIELDS}
    )


def current_domains(dev: DevSettings) -> dict[str, list[str]]:
    stored = dev.domains or {}
    return {name: list(stored.get(name) or []) for name in DOMAIN_FIELDS}


def _filter(
    requested: dict[str, list[str] | None],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    valid: dict[str, list[str]] = {}
    invalid: dict[str, list[str]] = {name: [] for name in DOMAIN_FIELDS}
    for name, entries in requested.items():
        if entries is None:
            continue
        good: list[str] = []
        for entry in entries:
            canonical = normalize_domain(str(entry), DOMAIN_SCHEMES[name])
            if canonical is None:
                invalid[name].append(str(entry))
            elif canonical not in good:
                good.append(canonical)
        valid[name] = good
    return valid, invalid


def domains_modify(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    action: str,
    requested: dict[str, list[str] | None] | None = None,
    strict: bool = False,
) -> DomainChange:
    """get / set / add / delete the six server-domain lists (wechat-api 6.1)."""
    action = _checked_action(action)
    requested = {name: (requested or {}).get(name) for name in DOMAIN_FIELDS}
    if action == "get":
        return DomainChange(current_domains(settings_for(miniprogram)))
    valid, invalid = _filter(requested)
    if action == "set":
        for name in DOMAIN_FIELDS:
            if requested[name] and not valid[name]:
                # Every entry sent for this list was refused: setting it to nothing would
                # erase the list over a typo (and spend a modification).
                raise PlatformError(MiniProgramError.DOMAIN_NOTHING_TO_MODIFY, field=name)
    if strict:
        for name in DOMAIN_FIELDS:
            if invalid[name]:
                raise PlatformError(
                    MiniProgramError.DOMAIN_INVALID, field=name, domain=invalid[name][0][:200]
                )

    def changed(current: dict) -> dict:
        before = current["domains"]
        after = {name: list(entries) for name, entries in before.items()}
        for name, entries in valid.items():
            if action == "set":
                after[name] = entries
            elif action == "add":
                after[name] = before[name] + [d for d in entries if d not in before[name]]
            else:
                after[name] = [d for d in before[name] if d not in entries]
        return {"domains": after}

    def admit(new: dict) -> None:
        limit = policy.value("dev.domains_per_type_max")
        for name in DOMAIN_FIELDS:
            if len(new["domains"][name]) > limit:
                raise PlatformError(MiniProgramError.DOMAIN_COUNT_LIMIT, field=name, limit=limit)
        _consume_modification(miniprogram)

    change = settings_change(
        actor=actor,
        miniprogram=miniprogram,
        action="domains",
        part="domains",
        read=lambda dev: {"domains": current_domains(dev)},
        change=changed,
        unchanged=MiniProgramError.DOMAIN_NOTHING_TO_MODIFY,
        admit=admit,
        note={"action": action},
    )
    return DomainChange(change.after["domains"], invalid)


# --- web-view (business) domains (DEV-3) --------------------------------------------------


def _is_personal(miniprogram: MiniProgram) -> bool:
    return miniprogram.subject.subject_type == "personal"


def webview_domains_modify(
    *, actor: Actor, miniprogram: MiniProgram, action: str, domains: list[str] | None = None
) -> list[str]:
    """get / set / add / delete the business domains (wechat-api 6.2); returns the list."""
    action = _checked_action(action)
    if action == "get":
        return list(settings_for(miniprogram).webview_domains or [])
    if _is_personal(miniprogram):
        raise PlatformError(MiniProgramError.WEBVIEW_NOT_FOR_PERSONAL, field="webviewdomain")
    given: list[str] = []
    for entry in domains or []:
        canonical = normalize_domain(str(entry), "https", allow_port=False)
        if canonical is None:
            raise PlatformError(
                MiniProgramError.DOMAIN_INVALID, field="webviewdomain", domain=str(entry)[:200]
            )
        if canonical not in given:
            given.append(canonical)

    def changed(current: dict) -> dict:
        before = current["webview_domains"]
        if action == "add":
            return {"webview_domains": before + [d for d in given if d not in before]}
        if action == "delete":
            if any(d not in before for d in given):
                raise PlatformError(MiniProgramError.WEBVIEW_DELETE_MISSING, field="webviewdomain")
            return {"webview_domains": [d for d in before if d not in given]}
        return {"webview_domains": given}

    def admit(new: dict) -> None:
        limit = policy.value("dev.webview_domains_max")
        if len(new["webview_domains"]) > limit:
            raise PlatformError(MiniProgramError.WEBVIEW_LIMIT, field="webviewdomain", limit=limit)
        _consume_modification(miniprogram)

    change = settings_change(
        actor=actor,
        miniprogram=miniprogram,
        action="webview_domains",
        part="webview_domains",
        read=lambda dev: {"webview_domains": list(dev.webview_domains or [])},
        change=changed,
        unchanged=MiniProgramError.WEBVIEW_NO_CHANGE,
        field="webviewdomain",
        admit=admit,
    )
    return change.after["webview_domains"]
