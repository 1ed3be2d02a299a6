"""`plugin.json`: what a plugin project declares (PLG-7), read instead of app.json when a
package is validated with `kind="plugin"`.

The shapes follow the plugin project's configuration: `publicComponents` an object of
name -> component path (without extension, relative to the root), each component needing
its `.js`, `.json` and `.wxml`; `pages` (optional) an object of name -> page path, each
page needing its `.js` and `.wxml`; `main` (optional) the file of the plugin's interface,
which must exist. Paths follow the same rules as app.json's pages. Refusals reuse the
package codes where one fits (a missing or malformed plugin.json, a page's missing file)
and name plugin.json's own rules with `PluginPackageError` (`packages/errors.py`)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from miniport.core.errors import PlatformError, Words

from ..errors import ReleaseError
from .appjson import PAGE_FILE_EXTENSIONS, _page_problem, parse_config, shown
from .errors import PluginPackageError
from .manifest import PLUGIN_JSON, PluginProject

COMPONENT_FILE_EXTENSIONS = (".js", ".json", ".wxml")


def parse_plugin_config(data: bytes) -> dict[str, Any]:
    """plugin.json's bytes as a JSON object, or APP_JSON_INVALID naming plugin.json."""
    try:
        return parse_config(data)
    except PlatformError as error:
        raise PlatformError(
            ReleaseError.APP_JSON_INVALID, entry=PLUGIN_JSON, reason=error.params.get("reason")
        ) from None


def _named_paths(value: object, code: PluginPackageError, *, required: bool) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or (required and not value):
        raise PlatformError(
            code,
            entry=PLUGIN_JSON,
            reason=Words("应为名称到路径的非空对象", "a non-empty object of name -> path"),
        )
    paths: dict[str, str] = {}
    for name, path in value.items():
        if not name.strip():
            raise PlatformError(code, entry=PLUGIN_JSON, reason=Words("名称为空", "an empty name"))
        problem = _page_problem(path)
        if problem:
            raise PlatformError(
                code,
                entry=PLUGIN_JSON,
                reason=Words(
                    f"{shown(name)}：{problem.zh}（{shown(path)}）",
                    f"{shown(name)}: {problem.en} ({shown(path)})",
                ),
            )
        paths[name] = str(path)
    return paths


def check_plugin_config(config: dict[str, Any], files: Collection[str]) -> PluginProject:
    """Every declared component, page and the main file exist in the package."""
    components = _named_paths(
        config.get("publicComponents"),
        PluginPackageError.PLUGIN_COMPONENTS_INVALID,
        required=True,
    )
    pages = _named_paths(
        config.get("pages"), PluginPackageError.PLUGIN_PAGES_INVALID, required=False
    )
    for name, path in components.items():
        for extension in COMPONENT_FILE_EXTENSIONS:
            if path + extension not in files:
                raise PlatformError(
                    PluginPackageError.PLUGIN_COMPONENT_FILES_MISSING,
                    entry=path + extension,
                    component=name,
                )
    for path in pages.values():
        for extension in PAGE_FILE_EXTENSIONS:
            if path + extension not in files:
                raise PlatformError(
                    ReleaseError.PAGE_FILES_MISSING, entry=path + extension, page=path
                )
    main = config.get("main")
    if main is not None:
        problem = _page_problem(main, folder=True)
        if problem is None and main not in files:
            problem = Words("代码包中没有这个文件", "not in the package")
        if problem:
            raise PlatformError(
                PluginPackageError.PLUGIN_MAIN_INVALID,
                entry=PLUGIN_JSON,
                main=shown(main),
                reason=problem,
            )
    return PluginProject(
        public_components=tuple(sorted(components.items())),
        pages=tuple(sorted(pages.items())),
        main=main,
    )
