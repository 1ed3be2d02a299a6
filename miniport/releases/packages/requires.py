"""FP-10 at upload: files in `functional-pages/` may not require files outside it, nor the
reverse (seed 002: "功能页函数不应 require 其他非 functional-pages 目录中的文件，其他非
functional-pages 目录中的文件也不应 require 这个目录中的文件").

The scan is bounded like the domain and privacy API scans beside it: every code file, chunk
by chunk as it inflates, a short tail kept between chunks so a call cut in two is still
found. It reads text, not a syntax tree: `require("x")`, `require('x')` and
`` require(`x`) `` with a literal argument count, comments included (a check at upload errs
on the side of refusing). A computed argument (`require(name)`) is not seen here; the
functional page's engine refuses at run time any module outside `functional-pages/`.

How a target resolves (the mini program's module rules):
- `./x`, `../x`: relative to the requiring file's folder;
- `/x`: from the package root;
- a bare name (`x`, `lib/x`): relative to the requiring file's folder as well (the mini
  program resolves bare names relative to the file, then in `miniprogram_npm/`).
A file inside `functional-pages/` must resolve every target inside that folder (a target
that leaves the package root leaves the folder); a file outside must not resolve one inside.

Refusals (ReleaseError, naming the requiring file and the target):
FUNCTIONAL_PAGES_REQUIRE_OUTSIDE, FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE."""

from __future__ import annotations

import posixpath
import re

from miniport.core.errors import PlatformError

from ..errors import ReleaseError

FUNCTIONAL_PAGES_DIR = "functional-pages"
_PREFIX = FUNCTIONAL_PAGES_DIR + "/"
_MAX_TARGET = 512
_CALL = re.compile(rb"require\s{0,8}\(\s{0,8}(['\"`])([^'\"`\r\n]{1,512})\1\s{0,8}\)")
_IDENTIFIER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$.")
# Longer than any match, so a call cut by a chunk boundary is whole in the next window.
_OVERLAP = _MAX_TARGET + 64


def in_functional_pages(path: str) -> bool:
    return path.startswith(_PREFIX)


def resolve(requiring: str, target: str) -> str | None:
    """The package path `target` names from the file `requiring`, or None when it leaves
    the package root."""
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(requiring), target)
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".." or normal.startswith("../"):
        return None
    return normal


def crossing(requiring: str, target: str) -> ReleaseError | None:
    """The FP-10 refusal for `requiring` calling `require(target)`, or None."""
    resolved = resolve(requiring, target)
    inside_target = resolved is not None and (
        resolved == FUNCTIONAL_PAGES_DIR or resolved.startswith(_PREFIX)
    )
    if in_functional_pages(requiring):
        return None if inside_target else ReleaseError.FUNCTIONAL_PAGES_REQUIRE_OUTSIDE
    return ReleaseError.FUNCTIONAL_PAGES_REQUIRED_FROM_OUTSIDE if inside_target else None


class RequireScanner:
    """Fed one code file's chunks; raises the FP-10 refusal at the first crossing."""

    __slots__ = ("name", "tail")

    def __init__(self, name: str) -> None:
        self.name = name
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        window = self.tail + chunk
        self._scan(window, final=False)
        self.tail = window[-_OVERLAP:]

    def close(self) -> None:
        self._scan(self.tail, final=True)
        self.tail = b""

    def _scan(self, window: bytes, *, final: bool) -> None:
        if b"require" not in window:
            return
        for match in _CALL.finditer(window):
            if not final and match.end() >= len(window) - 1:
                continue  # may go on in the next chunk; the next window holds it whole
            start = match.start()
            if start and window[start - 1] in _IDENTIFIER:
                continue  # `myrequire(`, `obj.require(`
            target = match.group(2).decode("utf-8", "replace").strip()
            code = crossing(self.name, target)
            if code is not None:
                raise PlatformError(code, entry=self.name, target=target)
