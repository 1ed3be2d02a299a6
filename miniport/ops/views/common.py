"""What the ops desk's list pages share: keyset pages of the policy's page size, the
current filters for the page links, and bounded totals.

A list never counts its rows nor skips over them to draw a page (issue 14 item 2): a page
is the rows that follow (or precede) a cursor in the list's order, read with one row
more to know whether another page follows. The cursor is the ordering key of the row it
follows (the list's ordering fields, the id last as the tie-breaker), written into the
page links: `after=` for the next page, `before=` for the previous one. An index on the
filter and the ordering key answers every page with the same work at any size of the
table. A cursor that does not parse is ignored (the first page), never an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from miniport.core import policy

AFTER, BEFORE = "after", "before"
# Query parameters that choose a page rather than filter the list ("page" is what the
# desk's links carried before they used cursors).
PAGE_PARAMS = (AFTER, BEFORE, "page")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# The largest value a cursor part may name (a bigint), and the longest cursor read.
_LARGEST = 2**63 - 1
_CURSOR_LENGTH = 80
_SEPARATOR = "_"


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    after: str  # the next page's cursor, "" on the last page
    before: str  # the previous page's cursor, "" on the first page
    query: str  # the current filters, for the page links


@dataclass(frozen=True)
class Bounded:
    """A total counted up to a cap: `more` when there are more rows than `count`."""

    count: int
    more: bool


def _fields(model: type[models.Model], order: Sequence[str]) -> list[tuple[str, bool, bool]]:
    """(field name, descending, is a datetime) for each ordering field."""
    found = []
    for name in order:
        field = name.lstrip("-")
        is_datetime = isinstance(model._meta.get_field(field), models.DateTimeField)
        found.append((field, name.startswith("-"), is_datetime))
    return found


def _encode(row: Any, fields: list[tuple[str, bool, bool]]) -> str:
    parts = []
    for name, _descending, is_datetime in fields:
        value = getattr(row, name)
        parts.append(str((value - _EPOCH) // _MICROSECOND if is_datetime else value))
    return _SEPARATOR.join(parts)


def _decode(text: str | None, fields: list[tuple[str, bool, bool]]) -> list[Any] | None:
    """The ordering key a cursor names, or None when it names none."""
    if not text or len(text) > _CURSOR_LENGTH:
        return None
    parts = text.split(_SEPARATOR)
    if len(parts) != len(fields) or not all(part.isdecimal() and part.isascii() for part in parts):
        return None
    key: list[Any] = []
    for part, (_name, _descending, is_datetime) in zip(parts, fields, strict=True):
        number = int(part)
        if number > _LARGEST:
            return None
        if is_datetime:
            try:
                key.append(_EPOCH + number * _MICROSECOND)
            except OverflowError:
                return None
        else:
            key.append(number)
    return key


def _beyond(fields: list[tuple[str, bool, bool]], key: list[Any], *, forward: bool) -> Q:
    """The rows after `key` in the list's order (`forward`), or before it. Compared field
    by field; the first field is also bounded on its own so that an index on the ordering
    key starts its scan at the cursor."""
    later = Q()
    equal = Q()
    for (name, descending, _is_datetime), value in zip(fields, key, strict=True):
        lookup = "lt" if descending == forward else "gt"
        later |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    if len(fields) == 1:
        return later
    first, descending, _ = fields[0]
    start = Q(**{f"{first}__{'lte' if descending == forward else 'gte'}": key[0]})
    return start & later


def _reverse(order: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in order]


def query_without_page(request) -> str:
    """The current filters, for the page links."""
    params = request.GET.copy()
    for name in PAGE_PARAMS:
        params.pop(name, None)
    return params.urlencode()


def keyset_page(request, rows: QuerySet, order: Sequence[str]) -> KeysetPage:
    """The page of `rows` (in `order`, the id last) that the request's cursor names: the
    rows after `after=`, before `before=`, or the first ones."""
    size = max(1, policy.value("ops.page_size"))
    fields = _fields(rows.model, order)
    after = _decode(request.GET.get(AFTER), fields)
    before = None if after is not None else _decode(request.GET.get(BEFORE), fields)
    found: list[Any] = []
    shown: list[Any] = []
    has_before = has_after = False
    if before is not None:
        backwards = rows.filter(_beyond(fields, before, forward=False)).order_by(*_reverse(order))
        found = list(backwards[: size + 1])
        shown = list(reversed(found[:size]))
        has_before, has_after = len(found) > size, True
    if not found:  # no cursor, or nothing before it: the first page after the cursor
        forwards = rows.filter(_beyond(fields, after, forward=True)) if after is not None else rows
        found = list(forwards.order_by(*order)[: size + 1])
        shown = found[:size]
        has_before, has_after = after is not None, len(found) > size
    return KeysetPage(
        rows=shown,
        after=_encode(shown[-1], fields) if shown and has_after else "",
        before=_encode(shown[0], fields) if shown and has_before else "",
        query=query_without_page(request),
    )


def bounded_count(rows: QuerySet) -> Bounded:
    """How many `rows` there are, counted up to the policy's cap (a bounded read: the
    database stops at the cap instead of counting the whole table)."""
    cap = max(1, policy.value("ops.count_cap"))
    counted = rows.order_by()[: cap + 1].count()
    return Bounded(min(counted, cap), counted > cap)
