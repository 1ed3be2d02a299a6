"""The enterprise console (WW-2..WW-4), at /work/<corp_id>/: its administrators are
identities signed in by one scan (`console/linked_access.py`). Every page loads the
enterprise through `selectors.administered_by`, so anyone else gets 404.

- Mini programs (the home): every association with its status; associate one by AppID
  (WW-2), which waits for the mini program administrator's scan (WW-3, the QR on the
  association's page and on that administrator's phone).
- One association: its QR while it waits for the scan, accept or refuse a request the
  mini program started, the visibility range (WW-4), removal (after a confirmation
  page, `?confirm=remove`; cancelling or refusing a request is one click).
- Departments (a tree) and members (identities by their account, in departments).

Each page posts to itself with an `op`; a post without one (the scan's "continue")
shows the page again."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from miniport.console.forms.common import attach_error
from miniport.console.forms.enterprise import (
    AppIdForm,
    DepartmentAddForm,
    DepartmentRenameForm,
    MemberAddForm,
    MemberDepartmentsForm,
    RangeForm,
)
from miniport.console.linked_access import linked_actor, linked_view
from miniport.console.views.enterprise_common import keep_ticket, rows, ticket_context
from miniport.core.errors import PlatformError
from miniport.links.enterprise import selectors
from miniport.links.enterprise.errors import EnterpriseError
from miniport.links.enterprise.models import (
    AssociationStatus,
    Department,
    Enterprise,
    StartedBy,
)
from miniport.links.enterprise.services import associations, directory
from miniport.web.sentences import sentence
from miniport.web.sessions import session_key_of

S = AssociationStatus
GET_POST = ["GET", "POST"]
# The buttons that end an association, and the reason each records.
ENDINGS = {"refuse": "refused", "cancel": "cancelled", "remove": "removed"}


def _enterprise(request, corp_id: str) -> Enterprise:
    enterprise = selectors.administered_by(request.linked_identity, corp_id)
    if enterprise is None:
        raise Http404("no such enterprise")
    return enterprise


def _render(request, template: str, enterprise: Enterprise, tab: str, status=200, **context):
    return render(
        request,
        template,
        {"enterprise": enterprise, "tab": tab, "identity": request.linked_identity, **context},
        status=status,
    )


def _int(value) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


# --- mini programs ------------------------------------------------------------------------


@linked_view
@require_http_methods(GET_POST)
def enterprise_apps(request, corp_id: str):
    """WW-2: the enterprise's mini programs; associate one by AppID."""
    enterprise = _enterprise(request, corp_id)
    form = AppIdForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            association, ticket = associations.request_from_enterprise(
                actor=linked_actor(request),
                enterprise=enterprise,
                appid=form.cleaned_data["appid"],
                session_key=session_key_of(request),
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            keep_ticket(request, association, ticket)
            return redirect("console:enterprise_app", corp_id=enterprise.corp_id, pk=association.pk)
    if form.errors:
        status = 400
    found = rows(selectors.associations_of_enterprise(enterprise))
    return _render(
        request, "console/enterprise/apps.html", enterprise, "apps", status, rows=found, form=form
    )


def _app_page(request, enterprise, association, *, range_form=None, status=200):
    row = rows([association])[0]
    context: dict = {"row": row, "association": association}
    here = reverse("console:enterprise_app", args=[enterprise.corp_id, association.pk])
    if row.status == S.WAITING_MINIPROGRAM:
        context.update(ticket_context(request, association, here))
    if row.status == S.ACTIVE:
        departments = selectors.department_tree(enterprise)
        members = list(selectors.members(enterprise))
        if range_form is None:
            chosen_departments, chosen_members = selectors.range_of(association)
            range_form = RangeForm(
                initial={
                    "departments": sorted(chosen_departments),
                    "members": sorted(chosen_members),
                },
                departments=departments,
                members=members,
            )
        context["range_form"] = range_form
    return _render(request, "console/enterprise/app.html", enterprise, "apps", status, **context)


def _ending_op(association) -> str:
    """The button that ends it from this side: an association is removed, a request the
    enterprise started cancelled, one the mini program started refused."""
    if association.status == S.ACTIVE:
        return "remove"
    return "cancel" if association.started_by == StartedBy.ENTERPRISE else "refuse"


def _app_remove_page(request, enterprise, association):
    """The page's "Remove the association" leads here (`?confirm=remove`): a confirmation
    naming the mini program and what follows (GET); its button posts `op=remove` to the
    association's page. A request still waiting is cancelled or refused there at once
    (nothing live goes), but this page confirms that too; an ended association's page
    says the ending's refusal."""
    refusal = ""
    try:
        associations.ensure_endable(association)
    except PlatformError as error:
        refusal = error.message()
    return _render(
        request,
        "console/enterprise/app_remove.html",
        enterprise,
        "apps",
        409 if refusal else 200,
        row=rows([association])[0],
        association=association,
        ending_op=_ending_op(association),
        refusal=sentence(refusal) if refusal else "",
    )


@linked_view
@require_http_methods(GET_POST)
def enterprise_app(request, corp_id: str, pk: int):
    """One association: the scan it waits for, acceptance, the range (WW-4), removal."""
    enterprise = _enterprise(request, corp_id)
    association = selectors.association_of_enterprise(enterprise, pk)
    if association is None:
        raise Http404("no such association")
    op = request.POST.get("op", "") if request.method == "POST" else ""
    if not op:
        if request.method == "GET" and request.GET.get("confirm") == "remove":
            return _app_remove_page(request, enterprise, association)
        return _app_page(request, enterprise, association)
    actor = linked_actor(request)
    try:
        if op == "accept":
            associations.association_accept(actor=actor, association=association)
            messages.success(request, _("The mini program is associated."))
        elif op in ENDINGS:
            associations.association_end(
                actor=actor, association=association, side="enterprise", reason=ENDINGS[op]
            )
            messages.success(request, _("The association has ended."))
        elif op == "range":
            form = RangeForm(
                request.POST,
                departments=selectors.department_tree(enterprise),
                members=list(selectors.members(enterprise)),
            )
            if not form.is_valid():
                return _app_page(request, enterprise, association, range_form=form, status=400)
            associations.range_set(
                actor=actor,
                association=association,
                departments=form.cleaned_data["departments"],
                members=form.cleaned_data["members"],
            )
            messages.success(request, _("The visibility range is saved."))
        else:
            raise Http404("no such action")
    except PlatformError as error:
        messages.error(request, error.message())
    return redirect("console:enterprise_app", corp_id=enterprise.corp_id, pk=association.pk)


# --- departments --------------------------------------------------------------------------


@linked_view
@require_http_methods(GET_POST)
def enterprise_departments(request, corp_id: str):
    enterprise = _enterprise(request, corp_id)
    departments = selectors.department_tree(enterprise)
    add_form = DepartmentAddForm(
        request.POST if request.POST.get("op") == "add" else None, departments=departments
    )
    rename_form, renaming = DepartmentRenameForm(), 0
    if request.method == "POST":
        op, actor = request.POST.get("op", ""), linked_actor(request)
        try:
            if op == "add":
                if add_form.is_valid():
                    directory.department_add(
                        actor=actor,
                        enterprise=enterprise,
                        parent=add_form.cleaned_data["parent"],
                        name=add_form.cleaned_data["name"],
                    )
                    messages.success(request, _("The department is added."))
                    return redirect("console:enterprise_departments", corp_id=enterprise.corp_id)
            elif op == "rename":
                renaming = _int(request.POST.get("department"))
                rename_form = DepartmentRenameForm(request.POST)
                if rename_form.is_valid():
                    directory.department_rename(
                        actor=actor,
                        enterprise=enterprise,
                        department=renaming,
                        name=rename_form.cleaned_data["name"],
                    )
                    messages.success(request, _("The department is renamed."))
                    return redirect("console:enterprise_departments", corp_id=enterprise.corp_id)
            elif op == "delete":
                return _department_delete(request, enterprise, _int(request.POST.get("department")))
            else:
                raise Http404("no such action")
        except PlatformError as error:
            attach_error(add_form if op == "add" else rename_form, error)
    status = 400 if add_form.errors or rename_form.errors else 200
    return _render(
        request,
        "console/enterprise/departments.html",
        enterprise,
        "departments",
        status,
        departments=departments,
        add_form=add_form,
        rename_form=rename_form,
        renaming=renaming,
    )


def _department_delete(request, enterprise: Enterprise, pk: int):
    """Delete the department; a refusal (not empty, the root) is the list's message."""
    try:
        directory.department_delete(
            actor=linked_actor(request), enterprise=enterprise, department=pk
        )
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The department is deleted."))
    return redirect("console:enterprise_departments", corp_id=enterprise.corp_id)


@linked_view
@require_http_methods(GET_POST)
def enterprise_department_delete(request, corp_id: str, pk: int):
    """The list's "Delete" leads here: a confirmation naming the department (GET), or why
    it cannot go (not empty, the root); its button deletes it (POST)."""
    enterprise = _enterprise(request, corp_id)
    department = (
        Department.objects.filter(enterprise=enterprise, pk=pk).select_related("parent").first()
    )
    if department is None:
        raise Http404("no such department")
    if request.method == "POST":
        return _department_delete(request, enterprise, department.pk)
    refusal = None
    if department.parent_id is None:
        refusal = EnterpriseError.ROOT_DEPARTMENT
    elif department.children.exists() or department.members.exists():
        refusal = EnterpriseError.DEPARTMENT_NOT_EMPTY
    return _render(
        request,
        "console/enterprise/department_delete.html",
        enterprise,
        "departments",
        409 if refusal is not None else 200,
        department=department,
        refusal=refusal.message() if refusal is not None else "",
    )


# --- members ------------------------------------------------------------------------------


@linked_view
@require_http_methods(GET_POST)
def enterprise_members(request, corp_id: str):
    enterprise = _enterprise(request, corp_id)
    departments = selectors.department_tree(enterprise)
    op = request.POST.get("op", "") if request.method == "POST" else ""
    add_form = MemberAddForm(request.POST if op == "add" else None, departments=departments)
    if request.method == "POST":
        actor = linked_actor(request)
        back = redirect("console:enterprise_members", corp_id=enterprise.corp_id)
        try:
            if op == "add":
                if add_form.is_valid():
                    directory.member_add(
                        actor=actor,
                        enterprise=enterprise,
                        wechat_id=add_form.cleaned_data["wechat_id"],
                        departments=add_form.cleaned_data["departments"],
                    )
                    messages.success(request, _("The member is added."))
                    return back
            elif op == "departments":
                form = MemberDepartmentsForm(request.POST, departments=departments)
                chosen = form.cleaned_data["departments"] if form.is_valid() else []
                directory.member_set_departments(
                    actor=actor,
                    enterprise=enterprise,
                    member=_int(request.POST.get("member")),
                    departments=chosen,
                )
                messages.success(request, _("The member's departments are saved."))
                return back
            elif op == "remove":
                return _member_remove(request, enterprise, _int(request.POST.get("member")))
            else:
                raise Http404("no such action")
        except PlatformError as error:
            if op != "add":
                messages.error(request, error.message())
                return back
            attach_error(add_form, error)
    return _render(
        request,
        "console/enterprise/members.html",
        enterprise,
        "members",
        400 if add_form.errors else 200,
        members=list(selectors.members(enterprise)),
        departments=departments,
        add_form=add_form,
    )


def _member_remove(request, enterprise: Enterprise, pk: int):
    """Remove the member; a refusal is the list's message."""
    try:
        directory.member_remove(actor=linked_actor(request), enterprise=enterprise, member=pk)
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The member is removed."))
    return redirect("console:enterprise_members", corp_id=enterprise.corp_id)


@linked_view
@require_http_methods(GET_POST)
def enterprise_member_remove(request, corp_id: str, pk: int):
    """The list's "Remove" leads here: a confirmation naming the member (GET); its button
    removes them (POST)."""
    enterprise = _enterprise(request, corp_id)
    member = selectors.members(enterprise).filter(pk=pk).first()
    if member is None:
        raise Http404("no such member")
    if request.method == "POST":
        return _member_remove(request, enterprise, member.pk)
    return _render(
        request, "console/enterprise/member_remove.html", enterprise, "members", member=member
    )
