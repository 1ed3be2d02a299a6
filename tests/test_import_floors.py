"""The house stands on floors and every import points down (DESIGN.md, "Layout").

Every import of every module under `miniport/` is read from its source, those inside
functions included (an import hidden in a function still ties the floors together), and
each must name a package on the same floor or below it. Modules may not import each other
in a circle either, within a package or across packages.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "miniport"

# Lowest first. Packages on one floor may not import each other; the project's own
# modules (settings, urls, the CLI, the demo data) stand on top of everything.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("core",),
    ("identities",),
    ("review",),
    ("accounts",),
    ("miniprograms",),
    ("releases",),
    # Plugins stand on payments: a plugin's payment (PLG-10) needs its owner's merchant and
    # the payment functional page (FP-4, FP-9) pays through the sandbox.
    ("payments",),
    ("plugins", "links"),
    ("web",),
    ("console", "ops", "mobile", "openapi", "runtime"),
    ("celery", "cli", "demo", "settings", "test_settings", "urls", "wsgi"),
)
FLOOR_OF = {package: level for level, floor in enumerate(FLOORS) for package in floor}
PROJECT = FLOOR_OF["cli"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported_names(path: Path, module: str) -> set[str]:
    """Every miniport module (or package) that `path` imports, at any depth of its code."""
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names.add(stem)
            # `from package import module` imports the module too.
            names.update(f"{stem}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "miniport" or name.startswith("miniport.")}


def _graph() -> dict[str, set[str]]:
    modules = {
        _module_name(path): path for path in ROOT.rglob("*.py") if "migrations" not in path.parts
    }
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        for name in _imported_names(path, module):
            # Keep the longest prefix that is a module of ours (`from x import some_function`).
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in modules and name != module:
                graph[module].add(name)
        graph.setdefault(module, set())
    return graph


GRAPH = _graph()


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _climbing_imports() -> list[str]:
    wrong = []
    for module, targets in GRAPH.items():
        source = _package(module)
        if source == "__init__":
            continue
        if source not in FLOOR_OF:
            wrong.append(f"{module}: package {source!r} has no floor in this test")
            continue
        for target in targets:
            destination = _package(target)
            if destination in ("__init__", source):
                continue
            if destination not in FLOOR_OF:
                wrong.append(f"{module} -> {target}: package {destination!r} has no floor")
            elif FLOOR_OF[destination] > FLOOR_OF[source]:
                wrong.append(f"{module} -> {target} climbs from {source} to {destination}")
            elif FLOOR_OF[destination] == FLOOR_OF[source] and FLOOR_OF[source] != PROJECT:
                wrong.append(f"{module} -> {target} crosses the {source}/{destination} floor")
    return sorted(wrong)


def _circles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return groups


def test_the_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    """Circles like to hide in function-level imports; the reader is not blind to them."""
    module = tmp_path / "clock.py"
    module.write_text(
        "def f():\n    from miniport.accounts import models\n\n"
        "def g():\n    from ..miniprograms.services import members\n"
    )
    names = _imported_names(module, "miniport.core.clock")
    assert "miniport.accounts.models" in names
    assert "miniport.miniprograms.services.members" in names


def test_no_import_points_up_a_floor():
    assert _climbing_imports() == []


def test_no_modules_import_each_other_in_a_circle():
    assert _circles() == []


@pytest.mark.parametrize("package", sorted({_package(m) for m in GRAPH} - {"__init__"}))
def test_every_package_has_a_floor(package):
    assert package in FLOOR_OF
