"""`app.json`: the pages, subpackages, functional pages and plugins a package declares.

The shapes follow WeChat's global configuration: `pages` a non-empty list of page paths
(without extension, relative to the root); `subPackages` (or `subpackages`) a list of
`{root, pages, name?, independent?, plugins?}` whose pages are relative to their root;
`functionalPages` `true`/`false` or `{"independent": bool}` (FP-6); `plugins` an object of
alias -> `{version, provider}`. A page needs its `.js` and `.wxml` (its `.json` and `.wxss`
are optional), as the developer tools require when they compile a page.

A refusal quotes a value of the file only through `shown` (its JSON text, invisible
characters escaped, shortened), never a Python repr or an exception's text, and says its
reason in both languages (`Words`)."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from miniport.core.errors import PlatformError, Words

from ..errors import ReleaseError
from .manifest import APP_JSON, PluginDeclaration
from .names import fold

PAGE_FILE_EXTENSIONS = (".js", ".wxml")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_APPID = re.compile(r"^wx[0-9A-Za-z]{16}$")
_FUNCTIONAL_PAGES_KEYS = {"independent"}


@dataclass(frozen=True)
class DeclaredSubPackage:
    root: str
    name: str | None
    pages: tuple[str, ...]  # full paths, root included
    independent: bool


@dataclass(frozen=True)
class AppConfig:
    pages: tuple[str, ...]
    subpackages: tuple[DeclaredSubPackage, ...]
    plugins: tuple[PluginDeclaration, ...]
    functional_pages: bool


class NotAJsonNumber(ValueError):
    """NaN, Infinity or -Infinity met while parsing: JSON has no such numbers."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not a JSON number")
        self.name = name


def not_json_number(name: str) -> Any:
    """NaN, Infinity and -Infinity: Python's json reads them, JSON has no such numbers."""
    raise NotAJsonNumber(name)


def shown(value: object, limit: int = 60) -> str:
    """A value of a JSON file as a message quotes it: its JSON text (a string in double
    quotes), control and other invisible characters escaped as \\uXXXX, at most `limit`
    characters (cut with an ellipsis)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = "…"
    text = "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char).startswith("C") else char
        for char in text[: limit * 2]
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_kind(value: object) -> Words:
    """What kind of JSON value `value` is, said in both languages."""
    if isinstance(value, bool):
        return Words("布尔值", "true or false")
    if value is None:
        return Words("null", "null")
    if isinstance(value, int | float):
        return Words("数字", "a number")
    if isinstance(value, list):
        return Words("列表", "a list")
    if isinstance(value, dict):
        return Words("对象", "an object")
    return Words("字符串", "a string")


def parse_config(data: bytes) -> dict[str, Any]:
    """app.json's bytes as a JSON object, or a refusal naming what is wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _invalid(
            Words(f"第 {error.start} 字节不是 UTF-8 编码", f"not UTF-8 at byte {error.start}")
        ) from None
    try:
        config = json.loads(text, parse_constant=not_json_number)
    except json.JSONDecodeError as error:
        raise _invalid(
            Words(
                f"第 {error.lineno} 行第 {error.colno} 列不符合 JSON 语法",
                f"{error.msg} at line {error.lineno}, column {error.colno}",
            )
        ) from None
    except RecursionError:
        raise _invalid(Words("嵌套层级过深", "nested too deeply")) from None
    except NotAJsonNumber as error:
        raise _invalid(
            Words(f"{error.name} 不是 JSON 数字", f"{error.name} is not a JSON number")
        ) from None
    except ValueError:
        # An integer of more digits than Python converts (sys.get_int_max_str_digits);
        # the exception's own text names Python's setting, not the file's fault.
        digits = sys.get_int_max_str_digits()
        raise _invalid(
            Words(
                f"其中的数字过长（超过 {digits} 位）",
                f"it holds a number too long (more than {digits} digits)",
            )
        ) from None
    if not isinstance(config, dict):
        raise _invalid(Words("最外层必须是 JSON 对象", "the top level must be an object"))
    return config


def check_config(config: dict[str, Any], files: Collection[str]) -> AppConfig:
    """Every declared page has its files; roots exist and do not overlap; sections well-formed.

    `files` holds the path of every file of the archive, exactly as stored."""
    pages = _pages(config.get("pages"), APP_JSON, prefix="")
    _pages_have_files(pages, files)
    subpackages = _subpackages(config, files)
    _roots_do_not_overlap(subpackages, pages)
    for sub in subpackages:
        _pages_have_files(sub.pages, files)
    _listed(config, pages)
    plugins = declared_plugins(config.get("plugins"), APP_JSON, None)
    raw_subs = _raw_subpackages(config)
    for sub, raw in zip(subpackages, raw_subs, strict=True):
        plugins += declared_plugins(raw.get("plugins"), f"{APP_JSON} ({sub.root})", sub.root)
    seen: dict[str, str] = {}
    for plugin in plugins:
        where = plugin.subpackage or APP_JSON
        if plugin.provider in seen:
            raise PlatformError(
                ReleaseError.PLUGINS_INVALID,
                entry=APP_JSON,
                plugin=plugin.name,
                reason=Words(
                    f"{plugin.provider} 在 {seen[plugin.provider]} 和 {where} 中都声明了",
                    f"{plugin.provider} is declared in {seen[plugin.provider]} and in {where}",
                ),
            )
        seen[plugin.provider] = where
    return AppConfig(
        pages=pages,
        subpackages=subpackages,
        plugins=plugins,
        functional_pages=_functional_pages(config),
    )


def _invalid(reason: str | Words) -> PlatformError:
    return PlatformError(ReleaseError.APP_JSON_INVALID, entry=APP_JSON, reason=reason)


def _page_problem(page: object, *, folder: bool = False) -> Words | None:
    if not isinstance(page, str):
        kind = json_kind(page)
        return Words(
            f"路径必须是字符串，不能是{kind.zh}", f"a path must be a string, not {kind.en}"
        )
    if not page:
        return Words("路径不能为空", "a path is a non-empty string")
    if _CONTROL.search(page):
        return Words("不允许出现控制字符", "control characters are not allowed")
    normalised = unicodedata.normalize("NFKC", page)
    if "\\" in normalised or ":" in normalised:
        return Words("不允许出现反斜杠和冒号", "backslashes and colons are not allowed")
    if normalised.startswith("/") or normalised.endswith("/"):
        return Words(
            "页面路径是相对路径，开头和结尾不能有“/”",
            "a page path is relative, without leading or trailing '/'",
        )
    if any(segment in ("", ".", "..") for segment in normalised.split("/")):
        return Words(
            "不允许出现空的、“.”或“..”路径段", "empty, '.' or '..' segments are not allowed"
        )
    if not folder and normalised.endswith(PAGE_FILE_EXTENSIONS):
        return Words("页面路径不带文件扩展名", "a page path has no file extension")
    return None


def _pages(value: object, where: str, *, prefix: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise PlatformError(ReleaseError.PAGES_EMPTY, entry=where)
    pages: list[str] = []
    seen: set[str] = set()
    for page in value:
        problem = _page_problem(page)
        if problem:
            raise PlatformError(
                ReleaseError.PAGE_INVALID, entry=where, page=shown(page), reason=problem
            )
        assert isinstance(page, str)  # _page_problem refuses anything else
        full = prefix + page
        if fold(full) in seen:
            raise PlatformError(
                ReleaseError.PAGE_INVALID,
                entry=where,
                page=page,
                reason=Words("重复列出", "listed twice"),
            )
        seen.add(fold(full))
        pages.append(full)
    return tuple(pages)


def _pages_have_files(pages: tuple[str, ...], files: Collection[str]) -> None:
    for page in pages:
        for extension in PAGE_FILE_EXTENSIONS:
            if page + extension not in files:
                raise PlatformError(
                    ReleaseError.PAGE_FILES_MISSING, entry=page + extension, page=page
                )


def _raw_subpackages(config: dict[str, Any]) -> list[dict[str, Any]]:
    value = config.get("subPackages", config.get("subpackages"))
    return value if isinstance(value, list) else []


def _subpackages(config: dict[str, Any], files: Collection[str]) -> tuple[DeclaredSubPackage, ...]:
    if "subPackages" in config and "subpackages" in config:
        raise PlatformError(
            ReleaseError.SUBPACKAGES_INVALID,
            entry=APP_JSON,
            reason=Words(
                "subPackages 和 subpackages 只能声明一个",
                "declare either subPackages or subpackages, not both",
            ),
        )
    value = config.get("subPackages", config.get("subpackages"))
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PlatformError(
            ReleaseError.SUBPACKAGES_INVALID,
            entry=APP_JSON,
            reason=Words(f"应为列表，而不是{json_kind(value).zh}", "not a list"),
        )
    subpackages = []
    for position, raw in enumerate(value):
        if not isinstance(raw, dict):
            raise PlatformError(
                ReleaseError.SUBPACKAGES_INVALID,
                entry=APP_JSON,
                reason=Words(f"第 {position} 项不是对象", f"entry {position} is not an object"),
            )
        raw_root = raw.get("root")
        root = raw_root[:-1] if isinstance(raw_root, str) and raw_root.endswith("/") else raw_root
        problem = _page_problem(root, folder=True)
        if not isinstance(root, str) or problem:
            said = problem or Words("路径必须是字符串", "a path must be a string")
            raise PlatformError(
                ReleaseError.SUBPACKAGES_INVALID,
                entry=APP_JSON,
                reason=Words(
                    f"第 {position} 项的 root {shown(raw_root)}：{said.zh}",
                    f"entry {position}: root {shown(raw_root)}: {said.en}",
                ),
            )
        name = raw.get("name")
        if name is not None and not isinstance(name, str):
            raise PlatformError(
                ReleaseError.SUBPACKAGES_INVALID,
                entry=APP_JSON,
                reason=Words(f"{root}：name 必须是字符串", f"{root}: name is not a string"),
            )
        independent = raw.get("independent", False)
        if not isinstance(independent, bool):
            raise PlatformError(
                ReleaseError.SUBPACKAGES_INVALID,
                entry=APP_JSON,
                reason=Words(
                    f"{root}：independent 必须是 true 或 false",
                    f"{root}: independent is not true or false",
                ),
            )
        if not any(path.startswith(root + "/") for path in files):
            raise PlatformError(ReleaseError.SUBPACKAGE_ROOT_MISSING, entry=root)
        pages = _pages(raw.get("pages"), f"{APP_JSON} ({root})", prefix=root + "/")
        subpackages.append(DeclaredSubPackage(root, name, pages, independent))
    return tuple(subpackages)


def _roots_do_not_overlap(
    subpackages: tuple[DeclaredSubPackage, ...], pages: tuple[str, ...]
) -> None:
    roots = [(fold(sub.root), sub.root) for sub in subpackages]
    for index, (key, root) in enumerate(roots):
        for other_key, other in roots[index + 1 :]:
            if (
                key == other_key
                or other_key.startswith(key + "/")
                or key.startswith(other_key + "/")
            ):
                raise PlatformError(ReleaseError.SUBPACKAGE_ROOTS_OVERLAP, entry=other, other=root)
        for page in pages:
            if fold(page).startswith(key + "/"):
                raise PlatformError(
                    ReleaseError.SUBPACKAGE_ROOTS_OVERLAP,
                    entry=root,
                    other=f"{APP_JSON} pages: {page}",
                )


def _listed(config: dict[str, Any], pages: tuple[str, ...]) -> None:
    """`entryPagePath` and the tab bar name pages of the main package (85046 on commit)."""
    entry = config.get("entryPagePath")
    if entry is not None and entry not in pages:
        raise PlatformError(
            ReleaseError.PAGE_INVALID,
            entry=APP_JSON,
            page=shown(entry),
            reason=Words("entryPagePath 不在 pages 中", "entryPagePath is not in pages"),
        )
    tab_bar = config.get("tabBar")
    if tab_bar is None:
        return
    items = tab_bar.get("list") if isinstance(tab_bar, dict) else None
    if not isinstance(items, list):
        raise _invalid(Words("tabBar.list 必须是列表", "tabBar.list must be a list"))
    for item in items:
        path = item.get("pagePath") if isinstance(item, dict) else None
        if path not in pages:
            raise PlatformError(
                ReleaseError.PAGE_INVALID,
                entry=APP_JSON,
                page=shown(path),
                reason=Words("tabBar 中的页面不在 pages 中", "tabBar page is not in pages"),
            )


def _functional_pages(config: dict[str, Any]) -> bool:
    value = config.get("functionalPages", False)
    if isinstance(value, bool):
        return value
    if isinstance(value, dict):
        unknown = set(value) - _FUNCTIONAL_PAGES_KEYS
        if unknown:
            raise PlatformError(
                ReleaseError.FUNCTIONAL_PAGES_INVALID,
                entry=APP_JSON,
                reason=Words(
                    f"未知的键 {shown(sorted(unknown)[0])}",
                    f"unknown key {shown(sorted(unknown)[0])}",
                ),
            )
        if not isinstance(value.get("independent", False), bool):
            raise PlatformError(
                ReleaseError.FUNCTIONAL_PAGES_INVALID,
                entry=APP_JSON,
                reason=Words(
                    "independent 必须是 true 或 false", "independent is not true or false"
                ),
            )
        return True
    raise PlatformError(
        ReleaseError.FUNCTIONAL_PAGES_INVALID,
        entry=APP_JSON,
        reason=Words(
            '应为 true、false 或对象 {"independent": true|false}',
            'true, false or an object {"independent": true|false}',
        ),
    )


def declared_plugins(value: object, where: str, root: str | None) -> tuple[PluginDeclaration, ...]:
    """The plugins a `plugins` object declares (app.json's, a subpackage's, ext.json's)."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise PlatformError(
            ReleaseError.PLUGINS_INVALID,
            entry=where,
            plugin="-",
            reason=Words("应为对象", "not an object"),
        )
    plugins = []
    for alias, spec in value.items():
        if not alias or _CONTROL.search(alias):
            raise PlatformError(
                ReleaseError.PLUGINS_INVALID,
                entry=where,
                plugin=shown(alias),
                reason=Words("名称不合法", "invalid name"),
            )
        if not isinstance(spec, dict):
            raise PlatformError(
                ReleaseError.PLUGINS_INVALID,
                entry=where,
                plugin=alias,
                reason=Words("应为对象", "not an object"),
            )
        version = spec.get("version")
        provider = spec.get("provider")
        # A control character (NUL above all: PostgreSQL refuses it in text) would reach
        # the plugin lookups of submission and launch.
        if not isinstance(version, str) or not version.strip() or _CONTROL.search(version):
            raise PlatformError(
                ReleaseError.PLUGINS_INVALID,
                entry=where,
                plugin=alias,
                reason=Words(
                    "version 必须是不含控制字符的非空字符串",
                    "version is a non-empty string without control characters",
                ),
            )
        if not isinstance(provider, str) or not _APPID.match(provider):
            raise PlatformError(
                ReleaseError.PLUGINS_INVALID,
                entry=where,
                plugin=alias,
                reason=Words("provider 必须是插件的 AppID", "provider is the plugin's AppID"),
            )
        export = spec.get("export")
        if export is not None and not isinstance(export, str):
            raise PlatformError(
                ReleaseError.PLUGINS_INVALID,
                entry=where,
                plugin=alias,
                reason=Words("export 必须是文件路径", "export is a file path"),
            )
        plugins.append(PluginDeclaration(alias, version, provider, root))
    return tuple(plugins)
