"""Settings › Basic settings › Service categories (INF-6, INF-7): the categories with
their review state, adding one (with qualifications for a sensitive one), deleting one
(after a confirmation page), renewing a rejected one's documents. Forms in `console/forms/categories.py`, templates
in `templates/console/categories/`.

`profile.view` opens the page (anyone else gets 404), `categories.edit` changes (403 for
those who only see).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from miniport.console.access import actor_of, console_view, owned_or_404
from miniport.console.forms.categories import CategoryAddForm, CertificateForm
from miniport.console.views.common import page
from miniport.console.views.profile import left_text, lock_message
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.models import CategoryStatus, MiniProgramCategory
from miniport.miniprograms.services import categories as category_services
from miniport.miniprograms.services import profile


def _status_badge(status: str) -> str:
    badges: dict[str, str] = {
        CategoryStatus.APPROVED: "ok",
        CategoryStatus.PENDING: "warn",
        CategoryStatus.REJECTED: "bad",
    }
    return badges[status]


@console_view(action="profile.view")
@require_http_methods(["GET", "POST"])
def categories_page(request):
    mp = request.miniprogram
    tree = catalog.catalog_for(mp.subject)
    selected = (request.POST if request.method == "POST" else request.GET).get("category", "")
    posted = request.method == "POST"  # a post with nothing chosen is still a post
    form = CategoryAddForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        pairs=tree.pairs(),
        selected=selected,
    )
    if request.method == "POST":
        if not request.console.may("categories.edit"):
            raise PermissionDenied
        if form.is_valid():
            pair = form.pairs[form.cleaned_data["category"]]
            # Files chosen under the fields of another category are not this one's.
            shown = request.POST.get("shown") == form.cleaned_data["category"]
            try:
                row = category_services.category_add_with_upload(
                    actor=actor_of(request),
                    miniprogram=mp,
                    first=pair.first.id,
                    second=pair.second.id,
                    uploads=form.uploads(form.cleaned_data) if shown else {},
                )
            except PlatformError as error:
                form.attach(error)
            else:
                if row.status == CategoryStatus.PENDING:
                    messages.success(request, _("The category was submitted for review."))
                else:
                    messages.success(request, _("The category was added."))
                return redirect("console:basic_categories")
    left = profile.allowances(mp)["categories"]
    rows = [
        {
            "row": row,
            "badge": _status_badge(row.status),
            "wire": category_services.WIRE_STATUS[row.status],
        }
        for row in category_services.categories_of(mp)
    ]
    return page(
        request,
        "console/categories/index.html",
        status=400 if form.errors else 200,
        form=form,
        shown=selected if form.pair is not None else "",
        rows=rows,
        max=policy.value("categories.max"),
        left=left_text(left),
        remaining=left.remaining,
        can_edit=request.console.may("categories.edit") and profile.info_lock(mp) is None,
        lock_message=lock_message(mp),
        sensitive=[pair for pair in tree.pairs() if pair.sensitive],
    )


def _own_category(request, pk: int) -> MiniProgramCategory:
    return owned_or_404(request, MiniProgramCategory, pk=pk)


@console_view(action="categories.edit", visible_with="profile.view")
@require_http_methods(["GET", "POST"])
def category_delete(request, pk: int):
    """INF-6: the list's Delete leads to a confirmation page naming the category (GET),
    or saying why it cannot go now (`ensure_category_deletable`, what the deletion asks
    too); its button deletes it (POST). Deleting gives no addition of the month back."""
    row = _own_category(request, pk)
    if request.method == "GET":
        mp = request.miniprogram
        refusal = ""
        try:
            # The deletion asks the same under its lock: the page refuses what it would.
            category_services.ensure_category_deletable(mp, row)
        except PlatformError as error:
            refusal = error.message()
        return page(
            request,
            "console/categories/delete_confirm.html",
            status=409 if refusal else 200,
            category=row,
            refusal=refusal,
            left=left_text(profile.allowances(mp)["categories"]),
            back_url=reverse("console:basic_categories"),
        )
    try:
        category_services.category_delete(
            actor=actor_of(request),
            miniprogram=request.miniprogram,
            first=row.first_id,
            second=row.second_id,
        )
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The category was deleted."))
    return redirect("console:basic_categories")


@console_view(action="categories.edit", visible_with="profile.view")
@require_http_methods(["GET", "POST"])
def category_modify(request, pk: int):
    row = _own_category(request, pk)
    pair = category_services.category_pair(request.miniprogram, row)
    form = CertificateForm(request.POST or None, request.FILES or None, pair=pair)
    if request.method == "POST" and form.is_valid():
        try:
            category_services.category_modify_with_upload(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                first=row.first_id,
                second=row.second_id,
                uploads=form.uploads(form.cleaned_data),
            )
        except PlatformError as error:
            form.attach(error)
        else:
            messages.success(request, _("The new qualification was submitted for review."))
            return redirect("console:basic_categories")
    return page(
        request,
        "console/categories/modify.html",
        status=400 if form.errors else 200,
        form=form,
        category=row,
    )
