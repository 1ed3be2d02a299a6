"""Template helpers of the ops desk: the navigation, money, masked personal numbers,
waiting times and review states."""

from __future__ import annotations

import json
import re

from django import template
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from miniport.accounts.models import RegistrationStatus
from miniport.accounts.subject_types import COUNTRIES
from miniport.core import audit_labels, masking
from miniport.miniprograms import catalog
from miniport.ops import presentation
from miniport.ops.nav import NAV
from miniport.review.models import ReviewState

register = template.Library()


@register.inclusion_tag("ops/_nav.html", takes_context=True)
def ops_nav(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match is not None and match.namespace == "ops" else ""
    items = [
        {
            "label": item.label,
            "href": reverse(item.url_name),
            "active": current.startswith(item.section),
        }
        for item in NAV
    ]
    return {"items": items}


@register.filter
def yuan(fen) -> str:
    return presentation.yuan(fen)


@register.filter
def masked(value, keep: str = "3,4") -> str:
    head, _sep, tail = str(keep).partition(",")
    return masking.mask(value, int(head or 0), int(tail or 0))


@register.filter
def status_label(value) -> str:
    """A registration status value in words (history rows store the raw value)."""
    try:
        return str(RegistrationStatus(value).label)
    except ValueError:
        return str(value)


@register.filter
def as_json(value) -> str:
    if not value:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@register.filter
def waited(value) -> str:
    """A waiting time (timedelta) in the largest units that still say enough."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days >= 2:
        return _("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
    hours += days * 24
    if hours:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)s min") % {"minutes": minutes}


@register.filter
def review_state(value) -> str:
    """A review state value in words (history rows store the raw value)."""
    try:
        return str(ReviewState(value).label)
    except ValueError:
        return str(value)


REVIEW_ACTIONS = {
    "open": gettext_lazy("submitted"),
    "claim": gettext_lazy("claimed"),
    "release": gettext_lazy("released"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "withdraw": gettext_lazy("withdrawn"),
    "delay": gettext_lazy("delayed"),
    "resume": gettext_lazy("back in the queue"),
}


@register.filter
def review_action(value) -> str:
    """A review history action in words."""
    return str(REVIEW_ACTIONS.get(value, value))


@register.filter
def audit_action(action: str) -> str:
    """An audit action in words, as its domain named it (issue 10 item 5)."""
    return audit_labels.action_label(action)


@register.filter
def audit_actor(kind: str) -> str:
    return audit_labels.actor_label(kind)


@register.filter
def audit_changes(entry) -> list:
    """The fields an audit entry's before and after differ in, for a readable diff."""
    return audit_labels.changes(entry.before, entry.after)


@register.filter
def audit_value(value) -> str:
    """One value of an audit entry's before or after, as a reader sees it."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, list | tuple):
        return ", ".join(audit_value(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@register.filter
def category_name(name: str) -> str:
    """A service category's name (stored in Chinese) in the page's language."""
    return catalog.name_in(name or "")


@register.filter
def country_name(code: str) -> str:
    """A subject's country/region code (CN, HK, ...) as its name in the page's language;
    an unknown code stays as stored."""
    names = COUNTRIES.get(str(code or ""))
    if names is None:
        return str(code or "")
    return names[1] if (get_language() or "").startswith("en") else names[0]


# What the accounts services write, in English, as a statement line's resolution and as
# the note of a registration verified from a bank statement.
_DISMISSED = re.compile(r"dismissed: (?P<note>.*)", re.S)
_ASSIGNED = re.compile(r"assigned to registration (?P<number>\d+)(?:: (?P<note>.*))?", re.S)
_STATEMENT = re.compile(r"statement (?P<number>\d+)")
_STATEMENT_LINE = re.compile(r"statement line (?P<number>\d+)")


@register.filter
def line_resolution(value: str) -> str:
    """An unmatched statement line's stored resolution in the page's language; the
    operator's note inside it stays as written."""
    text = str(value or "")
    found = _DISMISSED.fullmatch(text)
    if found:
        return _("dismissed: %(note)s") % {"note": found["note"]}
    found = _ASSIGNED.fullmatch(text)
    if found and found["note"]:
        return _("assigned to registration %(number)s: %(note)s") % {
            "number": found["number"],
            "note": found["note"],
        }
    if found:
        return _("assigned to registration %(number)s") % {"number": found["number"]}
    return text


@register.filter
def history_note(value: str) -> str:
    """A registration history note in the page's language when the platform wrote it
    (verified from a bank statement or one of its lines); an operator's note as written."""
    text = str(value or "")
    found = _STATEMENT.fullmatch(text)
    if found:
        return _("bank statement %(number)s") % {"number": found["number"]}
    found = _STATEMENT_LINE.fullmatch(text)
    if found:
        return _("bank statement line %(number)s") % {"number": found["number"]}
    return text
