"""REG-6a: bank statement import, matching, and decisions on unmatched lines."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from miniport.accounts.models import BankStatementImport, Remittance, UnmatchedRemittanceLine
from miniport.accounts.services.verification import (
    STATEMENT_COLUMNS,
    remittance_import_statement,
    remittance_line_resolve,
)
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.ops.access import actor_of, staff_required
from miniport.ops.forms.remittances import LineAssignForm, LineDismissForm, StatementUploadForm
from miniport.web.forms import add_platform_error


def _recent_imports():
    return BankStatementImport.objects.annotate(
        open_lines=Count("unmatched", filter=Q(unmatched__resolved_at__isnull=True))
    ).order_by("-id")[: max(1, policy.value("ops.page_size"))]


@staff_required
def statement_import(request):
    form = StatementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = remittance_import_statement(
                actor=actor_of(request), text=form.cleaned_data["statement"], filename=form.filename
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            messages.success(
                request,
                _("%(lines)s lines imported, %(matched)s matched.")
                % {"lines": result.statement.lines, "matched": len(result.matched)},
            )
            return redirect("ops:remittance_statement", pk=result.statement.pk)
    return render(
        request,
        "ops/remittances/import.html",
        {
            "form": form,
            "columns": STATEMENT_COLUMNS,
            "max_bytes": policy.value("registration.statement_max_bytes"),
            "imports": _recent_imports(),
        },
        status=400 if form.errors else 200,
    )


def _statement_page(request, statement, *, line_forms=None, status=200):
    line_forms = line_forms or {}
    matched = (
        Remittance.objects.filter(statement_line__statement=statement.pk)
        .select_related("registration__account", "registration__subject")
        .order_by("id")
    )
    lines = []
    for line in statement.unmatched.order_by("id"):
        forms = line_forms.get(line.pk, {})
        lines.append(
            {
                "line": line,
                "assign_form": forms.get("assign") or LineAssignForm(prefix=f"line{line.pk}"),
                "dismiss_form": forms.get("dismiss") or LineDismissForm(prefix=f"line{line.pk}"),
            }
        )
    return render(
        request,
        "ops/remittances/statement.html",
        {"statement": statement, "matched": matched, "lines": lines},
        status=status,
    )


@staff_required
def statement_detail(request, pk: int):
    statement = BankStatementImport.objects.filter(pk=pk).first()
    if statement is None:
        raise Http404
    return _statement_page(request, statement)


def _line(pk: int) -> UnmatchedRemittanceLine:
    line = UnmatchedRemittanceLine.objects.select_related("statement").filter(pk=pk).first()
    if line is None:
        raise Http404
    return line


@staff_required
@require_POST
def line_assign(request, pk: int):
    line = _line(pk)
    form = LineAssignForm(request.POST, prefix=f"line{line.pk}")
    if form.is_valid():
        try:
            remittance_line_resolve(
                actor=actor_of(request),
                line=line,
                registration=form.cleaned_data["registration"],
                note=form.cleaned_data["note"],
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            messages.success(request, _("The payment is assigned and the subject verified."))
            return redirect("ops:remittance_statement", pk=line.statement_id)
    return _statement_page(
        request, line.statement, line_forms={line.pk: {"assign": form}}, status=400
    )


@staff_required
@require_POST
def line_dismiss(request, pk: int):
    line = _line(pk)
    form = LineDismissForm(request.POST, prefix=f"line{line.pk}")
    if form.is_valid():
        try:
            remittance_line_resolve(
                actor=actor_of(request), line=line, note=form.cleaned_data["note"]
            )
        except PlatformError as error:
            add_platform_error(form, error)
        else:
            messages.success(request, _("The statement line is dismissed."))
            return redirect("ops:remittance_statement", pk=line.statement_id)
    return _statement_page(
        request, line.statement, line_forms={line.pk: {"dismiss": form}}, status=400
    )
