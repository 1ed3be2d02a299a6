"""What the ops desk's list pages share: paging by the policy's page size, and the
current filters for the pagination links."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from miniport.core import policy


def paginate(request, rows) -> Page:
    size = max(1, policy.value("ops.page_size"))
    return Paginator(rows, size).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current filters, for the pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
