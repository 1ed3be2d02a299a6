"""The server domains a package's code names, for the pre-checks of a review.

A simple, bounded scan: every `http://`, `https://`, `ws://` or `wss://` URL in a code file,
kept as `scheme://host[:port]` in lower case. The scan runs on the chunks as they inflate,
keeping a short tail between chunks so a URL cut in two is still found whole; it stops
collecting after MAX_DOMAINS distinct origins."""

from __future__ import annotations

import re

from miniport.releases.packages.chunks import ChunkScanner

CODE_EXTENSIONS = (".js", ".mjs", ".cjs", ".ts", ".wxs")
MAX_DOMAINS = 1000
_HOST = rb"[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,10}[A-Za-z0-9-]{1,63}"
# The search starts at the literal "://" (fast in `re`); the scheme is read backwards from it.
_AFTER_SCHEME = re.compile(rb"://(" + _HOST + rb"(?::[0-9]{1,5})?)")
_SCHEME = re.compile(rb"(?:^|[^A-Za-z0-9+.-])(https?|wss?)$", re.I)
# Longer than any match, so a URL cut by a chunk boundary is whole in the next window.
_OVERLAP = 768


def is_code_file(name: str) -> bool:
    return name.lower().endswith(CODE_EXTENSIONS)


class DomainScanner(ChunkScanner):
    """Collects origins from one file fed chunk by chunk into a set shared by the package."""

    __slots__ = ()
    overlap = _OVERLAP

    def _scan(self, window: bytes, *, final: bool) -> None:
        if b"://" not in window:
            return
        for match in _AFTER_SCHEME.finditer(window):
            if len(self.found) >= MAX_DOMAINS:
                return
            if not final and match.end() >= len(window) - 1:
                continue  # may go on in the next chunk; the next window holds it whole
            start = match.start()
            scheme = _SCHEME.search(window, max(0, start - 6), start)
            if scheme is None:
                continue
            host = match.group(1)
            self.found.add(f"{scheme.group(1).decode().lower()}://{host.decode().lower()}")
