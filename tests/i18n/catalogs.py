"""Reading the message catalogs without gettext tools: a small .po parser, the .mo
reader of the standard library, and the translatable literals of templates and code.

CI machines have no msgfmt or xgettext, so everything here is plain Python.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "miniport"

# The separator gettext puts between a context and its message id.
CONTEXT_GLUE = "\x04"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0
    # Set once a msgstr is read: the next msgctxt/msgid starts a new entry.
    has_msgstr: bool = field(default=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.msgctxt}{CONTEXT_GLUE}{self.msgid}" if self.msgctxt else self.msgid

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[n] for n in sorted(self.msgstr_plural)]
        return [self.msgstr]


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    # PO strings use the C escapes \" \\ \n \t, which Python string literals read the same way.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""); obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    pending_flags: set[str] = set()

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    keyword = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*)$")
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if current is not None and current.has_msgstr:
                    finish()
                pending_flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        match = keyword.match(line)
        if match:
            name, index, rest = match.group(1), match.group(2), match.group(3)
            value = _unquote(rest, path, number)
            starts_entry = name in ("msgctxt", "msgid") and (current is None or current.has_msgstr)
            if starts_entry:
                finish()
                current = Entry(line=number, flags=pending_flags)
                pending_flags = set()
            if current is None:
                raise ValueError(f"{path}:{number}: {name} outside an entry")
            if name == "msgctxt":
                current.msgctxt = value
                target = ("msgctxt", None)
            elif name == "msgid":
                current.msgid = value
                target = ("msgid", None)
            elif name == "msgid_plural":
                current.msgid_plural = value
                target = ("msgid_plural", None)
            elif index is None:
                current.msgstr = value
                current.has_msgstr = True
                target = ("msgstr", None)
            else:
                current.msgstr_plural[int(index)] = value
                current.has_msgstr = True
                target = ("msgstr_plural", int(index))
            continue
        if line.startswith('"') and current is not None and target is not None:
            value = _unquote(line, path, number)
            name, index = target
            if name == "msgstr_plural":
                current.msgstr_plural[index] += value  # type: ignore[index]
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


def po_files() -> list[Path]:
    return sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po"))


def mo_catalog(path: Path) -> dict:
    """The messages of a compiled .mo file, keyed the way gettext stores them."""
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def expected_mo_catalog(entries: list[Entry]) -> dict:
    """What a correct compilation of these .po entries holds (msgfmt leaves out
    untranslated and fuzzy entries)."""
    catalog: dict = {}
    for entry in entries:
        if "fuzzy" in entry.flags and entry.msgid:
            continue
        if entry.msgid_plural is not None:
            if all(entry.msgstr_plural.values()):
                for index, text in entry.msgstr_plural.items():
                    catalog[(entry.key, index)] = text
        elif entry.msgstr:
            catalog[entry.key] = entry.msgstr
    return catalog


def zh_catalogs() -> list[Path]:
    return [path for path in po_files() if path.parts[-3] == "zh_Hans"]


def merged_translations() -> dict[tuple[str | None, str], set[str]]:
    """(context, msgid) -> the Chinese texts our catalogs give it."""
    merged: dict[tuple[str | None, str], set[str]] = {}
    for path in zh_catalogs():
        for entry in parse_po(path):
            if entry.msgid and all(entry.translations):
                merged.setdefault((entry.msgctxt, entry.msgid), set()).update(entry.translations)
    return merged


@dataclass(frozen=True)
class Message:
    """One translatable literal found in the source."""

    where: str
    msgid: str
    plural: str | None = None
    context: str | None = None


_CALLS = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "_": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def _messages_in_tree(tree: ast.AST, where: str) -> list[Message]:
    found: list[Message] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in _CALLS:
            continue
        context_at, msgid_at, plural_at = _CALLS[name]

        def literal(index: int | None) -> str | None:
            if index is None or index >= len(node.args):
                return None
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return arg.value
            return None

        msgid = literal(msgid_at)
        if msgid is None:
            continue  # a variable: its values are checked where they are written
        found.append(
            Message(
                where=where, msgid=msgid, plural=literal(plural_at), context=literal(context_at)
            )
        )
    return found


def template_files() -> list[Path]:
    return sorted(PACKAGE.glob("templates/**/*.html")) + sorted(
        PACKAGE.glob("*/templates/**/*.html")
    )


_TEMPLATE_CALL = re.compile(
    r"\b(?:gettext|ngettext|pgettext|npgettext|_)\((?:\s*u?'(?:[^'\\]|\\.)*'\s*,?)+\s*(?:count|c)?\s*\)"
)


def template_messages(path: Path) -> list[Message]:
    """The messages of a template, read with Django's own template lexer (the one
    makemessages uses), so the message ids match what the template looks up."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    where = str(path.relative_to(ROOT))
    found: list[Message] = []
    for match in _TEMPLATE_CALL.finditer(code):
        found.extend(_messages_in_tree(ast.parse(match.group(0), mode="eval"), where))
    return found


def python_messages() -> list[Message]:
    found: list[Message] = []
    for path in sorted(PACKAGE.glob("**/*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found.extend(_messages_in_tree(tree, str(path.relative_to(ROOT))))
    return found


def has_letters(text: str) -> bool:
    return re.search(r"[A-Za-z]", re.sub(r"%\(\w+\)[sdi]|\{\w*\}|<[^>]*>", "", text)) is not None
