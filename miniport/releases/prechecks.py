"""The automatic pre-checks of a code submission (VER-3, B-4): what the desk and the
developer both see before a reviewer opens the package.

`run_prechecks(...)` is a pure function over the package's manifest (as validated at upload,
or its stored JSON form) and what the submission and the mini program's settings say. It
reads no database, except the package limits from the policy table when no `limits` are
given. It answers findings in the order of the checks below; an `error` blocks the
submission (the submit service refuses while any is present), a `warning` is shown to the
developer and the reviewer, an `info` only explains.

The checks:
- sizes: the main package, each subpackage and the whole against the limits of the policy
  rows today (they may have been lowered since the upload): `package_too_large`,
  `subpackage_too_large`, `total_too_large` (errors);
- pages: each item group's page exists in the package: `item_page_missing` (error);
- categories: each item group's category is one of the mini program's approved categories:
  `item_category_missing`, `item_category_not_approved` (errors);
- domains: every `https://` and `wss://` origin in the code whose host is not a configured
  server domain: `domain_not_configured` (warning: a URL in the code is not always a request
  target); `http://` and `ws://` origins, which a mini program may never request:
  `domain_not_https` (info);
- privacy: the code calls privacy-sensitive APIs (`packages.apis.PRIVACY_APIS`) and no
  privacy declaration is present: `privacy_declaration_missing` (error).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .packages.manifest import ALL_PACKAGES, MAIN_PACKAGE, PackageLimits, PackageManifest

ERROR, WARNING, INFO = "error", "warning", "info"
LEVELS = (ERROR, WARNING, INFO)

# Schemes a mini program may request, each with its default port.
_SECURE_PORTS = {"https": 443, "wss": 443}
_PLAIN_SCHEMES = {"http", "ws"}


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    message_zh: str
    message_en: str
    detail: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown finding level {self.level!r}")

    @property
    def blocking(self) -> bool:
        return self.level == ERROR

    def message(self, lang: str | None = None) -> str:
        return self.message_en if (lang or "").startswith("en") else self.message_zh

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "detail": self.detail,
        }


def has_errors(findings: Iterable[Finding | Mapping[str, Any]]) -> bool:
    """Whether any finding blocks the submission (findings or their stored JSON)."""
    return any((f.level if isinstance(f, Finding) else f.get("level")) == ERROR for f in findings)


def run_prechecks(
    *,
    manifest: PackageManifest | Mapping[str, Any],
    items: Iterable[Mapping[str, Any]],
    server_domains: Iterable[str],
    approved_categories: Iterable[Any],
    privacy_declared: bool,
    limits: PackageLimits | None = None,
) -> list[Finding]:
    """Every finding about one submission, errors, warnings and infos in check order.

    `items` are the submission's item groups (`address`, `first_id`, `second_id`, ...);
    `server_domains` every configured server domain (request, socket, upload, download),
    as origins ("https://api.example.com") or bare hosts; `approved_categories` the
    mini program's approved categories as (first_id, second_id) pairs or mappings with
    `first_id`/`second_id` (or `first`/`second`)."""
    package = PackageManifest.coerce(manifest)
    limits = limits or PackageLimits.from_policy()
    groups = list(items)
    findings: list[Finding] = []
    findings += _sizes(package, limits)
    findings += _pages(package, groups)
    findings += _categories(groups, _category_pairs(approved_categories))
    findings += _domains(package, server_domains)
    findings += _privacy(package, privacy_declared)
    return findings


# --- sizes ---------------------------------------------------------------------------


def _sizes(package: PackageManifest, limits: PackageLimits) -> list[Finding]:
    found = []
    if package.main_size > limits.max_main_bytes:
        found.append(
            Finding(
                "package_too_large",
                ERROR,
                f"主包为 {package.main_size} 字节，超过上限 {limits.max_main_bytes} 字节",
                f"the main package is {package.main_size} bytes, "
                f"over the limit of {limits.max_main_bytes}",
                {
                    "package": MAIN_PACKAGE,
                    "size": package.main_size,
                    "limit": limits.max_main_bytes,
                },
            )
        )
    for sub in package.subpackages:
        if sub.size > limits.max_subpackage_bytes:
            found.append(
                Finding(
                    "subpackage_too_large",
                    ERROR,
                    f"分包 {sub.root} 为 {sub.size} 字节，超过上限 {limits.max_subpackage_bytes} 字节",
                    f"the subpackage {sub.root} is {sub.size} bytes, "
                    f"over the limit of {limits.max_subpackage_bytes}",
                    {"package": sub.root, "size": sub.size, "limit": limits.max_subpackage_bytes},
                )
            )
    if package.total_size > limits.max_total_bytes:
        found.append(
            Finding(
                "total_too_large",
                ERROR,
                f"全部分包共 {package.total_size} 字节，超过总上限 {limits.max_total_bytes} 字节",
                f"all packages together are {package.total_size} bytes, "
                f"over the limit of {limits.max_total_bytes}",
                {
                    "package": ALL_PACKAGES,
                    "size": package.total_size,
                    "limit": limits.max_total_bytes,
                },
            )
        )
    return found


# --- pages ---------------------------------------------------------------------------


def page_of(address: Any) -> str:
    """An item's page as app.json names it: no leading slash, no query, no extension."""
    page = str(address or "").strip().split("?", 1)[0].split("#", 1)[0].lstrip("/")
    for extension in (".html", ".wxml", ".js"):
        if page.endswith(extension):
            return page[: -len(extension)]
    return page


def _pages(package: PackageManifest, groups: list[Mapping[str, Any]]) -> list[Finding]:
    pages = set(package.all_pages)
    found = []
    for number, item in enumerate(groups, start=1):
        address = str(item.get("address", "") or "")
        if not address.strip() or page_of(address) in pages:  # a group may name no page
            continue
        found.append(
            Finding(
                "item_page_missing",
                ERROR,
                f"第 {number} 组的页面 {address} 不在代码包中",
                f"item group {number}: the page {address} is not in the package",
                {"item": number, "address": address},
            )
        )
    return found


# --- categories ----------------------------------------------------------------------


def _as_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _category_pairs(approved: Iterable[Any]) -> set[tuple[int | None, int | None]]:
    pairs = set()
    for entry in approved:
        if isinstance(entry, Mapping):
            first = entry.get("first_id", entry.get("first"))
            second = entry.get("second_id", entry.get("second"))
        else:
            try:
                first, second = entry
            except (TypeError, ValueError):
                continue  # neither a pair nor a mapping: approves nothing
        pairs.add((_as_id(first), _as_id(second)))
    return pairs


def _categories(
    groups: list[Mapping[str, Any]], approved: set[tuple[int | None, int | None]]
) -> list[Finding]:
    found = []
    for number, item in enumerate(groups, start=1):
        first, second = _as_id(item.get("first_id")), _as_id(item.get("second_id"))
        if first is None or second is None:
            found.append(
                Finding(
                    "item_category_missing",
                    ERROR,
                    f"第 {number} 组没有选择服务类目",
                    f"item group {number} has no service category",
                    {"item": number},
                )
            )
            continue
        if (first, second) in approved:
            continue
        label = (
            " > ".join(
                str(part) for part in (item.get("first_class"), item.get("second_class")) if part
            )
            or f"{first}/{second}"
        )
        found.append(
            Finding(
                "item_category_not_approved",
                ERROR,
                f"第 {number} 组的服务类目 {label} 不是本小程序已审核通过的类目",
                f"item group {number}: the category {label} is not one of the mini "
                "program's approved categories",
                {"item": number, "first_id": first, "second_id": second, "category": label},
            )
        )
    return found


# --- domains -------------------------------------------------------------------------


def _host(origin: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of an origin or a bare host; None when it is no such thing."""
    text = origin.strip().lower()
    if not text:
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    scheme = parts.scheme
    return scheme, parts.hostname.rstrip("."), port or _SECURE_PORTS.get(scheme)


def _domains(package: PackageManifest, server_domains: Iterable[str]) -> list[Finding]:
    configured = set()
    for domain in server_domains:
        parsed = _host(str(domain))
        if parsed is not None:
            configured.add((parsed[1], parsed[2] if parsed[2] is not None else 443))
    found = []
    plain = []
    for origin in package.domains:
        parsed = _host(origin)
        if parsed is None:
            continue
        scheme, host, port = parsed
        if scheme in _PLAIN_SCHEMES:
            plain.append(origin)
            continue
        if scheme in _SECURE_PORTS and (host, port) not in configured:
            found.append(
                Finding(
                    "domain_not_configured",
                    WARNING,
                    f"代码中出现的 {origin} 不是已配置的服务器域名，小程序无法请求它",
                    f"{origin} appears in the code but is not a configured server domain; "
                    "the mini program cannot request it",
                    {"origin": origin, "host": host},
                )
            )
    if plain:
        found.append(
            Finding(
                "domain_not_https",
                INFO,
                f"代码中出现 {len(plain)} 个非 HTTPS/WSS 地址，小程序不能向它们发起请求",
                f"the code names {len(plain)} addresses that are not HTTPS or WSS; the mini "
                "program cannot request them",
                {"origins": plain},
            )
        )
    return found


# --- privacy -------------------------------------------------------------------------


def _privacy(package: PackageManifest, declared: bool) -> list[Finding]:
    if declared or not package.privacy_apis:
        return []
    apis = ", ".join(f"wx.{name}" for name in package.privacy_apis)
    return [
        Finding(
            "privacy_declaration_missing",
            ERROR,
            f"代码调用了涉及用户隐私的接口（{apis}），但尚未填写用户隐私保护指引",
            f"the code calls privacy-sensitive APIs ({apis}) but no privacy declaration "
            "has been made",
            {"apis": list(package.privacy_apis)},
        )
    ]


# --- submission guards: checks of the floors above, run at submission ------------------

# name -> guard(miniprogram, manifest) that raises PlatformError to refuse the submission.
# The plugins domain registers one for the plugins a version declares (80066, 80067,
# 80082): releases may not import plugins, so it asks this registry instead.
SUBMISSION_GUARDS: dict[str, Any] = {}


def submission_guard_register(name: str, guard: Any) -> None:
    """Run `guard(miniprogram, manifest)` at every submission for review; registering
    the same name again replaces it (ready() may run twice)."""
    SUBMISSION_GUARDS[name] = guard


def submission_guards_run(
    *, miniprogram: Any, manifest: PackageManifest | Mapping[str, Any]
) -> None:
    """Every registered guard over the version's manifest; the first refusal is raised."""
    package = PackageManifest.coerce(manifest)
    for guard in SUBMISSION_GUARDS.values():
        guard(miniprogram, package)
