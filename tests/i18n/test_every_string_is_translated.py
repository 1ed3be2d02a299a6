"""B-11: every translatable literal of the templates and of the Python code has a Chinese
translation that Django actually serves under zh-hans.

A new {% translate %} / {% blocktranslate %} / gettext string without a catalog entry
fails here: run makemessages for the app, translate, compilemessages.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.i18n.catalogs import (
    Message,
    has_letters,
    merged_translations,
    python_messages,
    template_files,
    template_messages,
)


def _served(message: Message, count: int = 1) -> str:
    if message.plural is not None:
        if message.context is not None:
            return translation.npgettext(message.context, message.msgid, message.plural, count)
        return translation.ngettext(message.msgid, message.plural, count)
    if message.context is not None:
        return translation.pgettext(message.context, message.msgid)
    return translation.gettext(message.msgid)


def _untranslated(messages: list[Message]) -> list[str]:
    ours = merged_translations()
    problems = []
    with translation.override("zh-hans"):
        for message in messages:
            if not has_letters(message.msgid):
                continue
            texts = ours.get((message.context, message.msgid))
            if not texts:
                problems.append(f"{message.where}: no Chinese entry for {message.msgid!r}")
                continue
            for count in (1, 5):
                served = _served(message, count)
                if served not in texts:
                    problems.append(
                        f"{message.where}: {message.msgid!r} is served as {served!r}, "
                        f"the catalogs say {sorted(texts)!r}"
                    )
    return problems


def test_the_scan_finds_the_strings_of_the_templates():
    """The extraction reads {% translate %}, {% blocktranslate %} with plurals and
    contexts, and _() inside filters; otherwise the checks below would pass vacuously."""
    found = {
        (m.context, m.msgid, m.plural) for path in template_files() for m in template_messages(path)
    }
    assert (None, "Log in", None) in found
    assert ("app surface", "Phone", None) in found
    assert (None, "Not set", None) in found  # from |default:_("Not set")
    assert (
        None,
        "%(counter)s unread message",
        "%(counter)s unread messages",
    ) in found


@pytest.mark.parametrize(
    "path", template_files(), ids=lambda path: str(path).split("miniport/", 1)[-1]
)
def test_every_template_string_has_a_chinese_translation(path):
    """B-11: the console, the phone pages, the ops desk and the API page show no English
    under zh-hans."""
    assert _untranslated(template_messages(path)) == []


def test_every_gettext_literal_in_the_code_has_a_chinese_translation():
    """B-11: form labels, choices, flash messages and stored reasons written with
    gettext / gettext_lazy / gettext_noop are translated too."""
    assert _untranslated(python_messages()) == []


def test_an_unknown_string_is_reported():
    """The check fails for a string no catalog holds (so it can fail at all)."""
    missing = Message(where="example", msgid="A sentence no catalog translates")
    assert _untranslated([missing]) == [
        "example: no Chinese entry for 'A sentence no catalog translates'"
    ]
