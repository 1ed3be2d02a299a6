"""The bounded chunk scan shared by the package pre-checks (domains, privacy APIs): a code
file is fed chunk by chunk as it inflates, a short tail (`overlap` bytes, longer than any
match) is kept between chunks so a match cut in two is whole in the next window, and
findings go into a set shared by the package."""

from __future__ import annotations


class ChunkScanner:
    """Feeds windows of one file to `_scan`; subclasses set `overlap` and define `_scan`,
    which skips a match reaching the window's end unless `final` (the next window holds
    it whole)."""

    __slots__ = ("found", "tail")
    overlap = 0

    def __init__(self, found: set[str]) -> None:
        self.found = found
        self.tail = b""

    def feed(self, chunk: bytes) -> None:
        window = self.tail + chunk
        self._scan(window, final=False)
        self.tail = window[-self.overlap :]

    def close(self) -> None:
        self._scan(self.tail, final=True)
        self.tail = b""

    def _scan(self, window: bytes, *, final: bool) -> None:
        raise NotImplementedError
