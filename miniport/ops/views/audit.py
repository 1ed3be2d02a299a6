"""B-7: the platform-wide audit log, with the hash chain checked on every view."""

from __future__ import annotations

from django.shortcuts import render

from miniport.core import audit
from miniport.core.models import AuditEntry
from miniport.ops import queries
from miniport.ops.access import staff_required
from miniport.ops.forms.audit import AuditFilterForm
from miniport.ops.views.common import paginate, query_without_page


@staff_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, queries.audit_entries(**{k: v for k, v in filters.items() if v}))
    broken_at = audit.verify_chain()
    return render(
        request,
        "ops/audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "actions": queries.audit_actions(),
            "broken_at": broken_at,
            "total": AuditEntry.objects.count(),
        },
    )
