"""B-11: every message catalog is fully translated and its committed .mo is its .po.

CI machines have no gettext tools, so the compiled catalogs are committed; a .mo that
was not rebuilt after the .po changed would silently show old texts.
"""

from __future__ import annotations

import re

import pytest

from tests.i18n.catalogs import (
    ROOT,
    expected_mo_catalog,
    merged_translations,
    mo_catalog,
    parse_po,
    po_files,
    zh_catalogs,
)

CATALOGS = po_files()
PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|\{\w*\}")


def _name(path) -> str:
    return str(path.relative_to(ROOT))


def test_the_chinese_catalogs_exist_for_every_surface():
    """B-11: the console, the phone pages, the ops desk, the API page and the domain
    apps each have a Chinese catalog."""
    names = {_name(path) for path in zh_catalogs()}
    for app in ("console", "mobile", "ops", "openapi", "accounts", "identities", "miniprograms"):
        assert f"miniport/{app}/locale/zh_Hans/LC_MESSAGES/django.po" in names


@pytest.mark.parametrize("path", CATALOGS, ids=_name)
def test_no_message_is_left_empty_or_fuzzy(path):
    """B-11: a fuzzy or empty entry is not used at run time, so the page would show
    English under Chinese."""
    entries = parse_po(path)
    assert entries and entries[0].msgid == "", "the catalog starts with its header"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy {entry.msgid!r}")
        if entry.msgid and not all(entry.translations):
            problems.append(f"line {entry.line}: untranslated {entry.msgid!r}")
        if entry.msgid_plural is not None and not entry.msgstr_plural:
            problems.append(f"line {entry.line}: plural without msgstr[0] {entry.msgid!r}")
    assert problems == []


@pytest.mark.parametrize("path", CATALOGS, ids=_name)
def test_translations_keep_every_placeholder(path):
    """B-11: a lost or renamed %(name)s / {name} would raise or drop a value at run time."""
    problems = []
    for entry in parse_po(path):
        if not entry.msgid:
            continue
        wanted = set(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            wanted |= set(PLACEHOLDER.findall(entry.msgid_plural))
        for text in entry.translations:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append((entry.msgid, text))
    assert problems == []


@pytest.mark.parametrize("path", CATALOGS, ids=_name)
def test_the_committed_mo_is_the_compiled_po(path):
    """B-11: the .mo next to each .po holds exactly the .po's messages (rebuild it with
    compilemessages after every change to the .po)."""
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{_name(mo)} is missing: run compilemessages"
    expected = expected_mo_catalog(parse_po(path))
    compiled = mo_catalog(mo)
    stale = sorted(str(key) for key in expected.keys() ^ compiled.keys())
    changed = sorted(
        str(key) for key in expected.keys() & compiled.keys() if expected[key] != compiled[key]
    )
    assert (stale, changed) == ([], []), f"{_name(mo)} is stale: run compilemessages"


def test_catalogs_agree_on_shared_messages():
    """B-11: Django merges every catalog into one, so a message translated two ways in
    two catalogs shows only one of them; the wording must be the same everywhere."""
    disagreements = {
        key: sorted(texts) for key, texts in merged_translations().items() if len(texts) > 1
    }
    assert disagreements == {}
