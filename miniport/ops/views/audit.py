"""B-7: the platform-wide audit log (issue 9 item 7).

The page answers in constant time at any size of the log: entries by keyset pages on the
id (no COUNT, no OFFSET), and the chain status from `audit.status`, which verifies only
each entry shown against its own hash and the chain shown (the filtered mini program's,
else the platform chain) from its latest signed checkpoint, and reads the stored results
of the other chains' last verification.
"""

from __future__ import annotations

from django.shortcuts import render

from miniport.core import audit, policy
from miniport.ops import queries
from miniport.ops.access import staff_required
from miniport.ops.forms.audit import AuditFilterForm


@staff_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    action = filters.get("action") or ""
    appid = (filters.get("appid") or "").strip()
    entries, has_older, has_newer = queries.audit_page(
        queries.audit_entries(action=action, appid=appid),
        size=max(1, policy.value("ops.page_size")),
        before=filters.get("before"),
        after=filters.get("after"),
    )
    status = audit.status(appid, entries)
    params = request.GET.copy()
    params.pop("before", None)
    params.pop("after", None)
    return render(
        request,
        "ops/audit/log.html",
        {
            "form": form,
            "entries": entries,
            "older": entries[-1].pk if entries and has_older else None,
            "newer": entries[0].pk if entries and has_newer else None,
            "query": params.urlencode(),
            "actions": queries.audit_actions(policy.value("audit.action_hint_rows")),
            "status": status,
            "broken_at": status.broken.entry if status.broken else None,
        },
    )
