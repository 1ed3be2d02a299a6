"""Member management (MEM-1..MEM-5, seed 004 "成员管理"): project members, experience
members and the administrator hand-over. Forms and role labels in
`console/forms/members.py`, templates in `templates/console/members/`; the member login
by scan is `console/views/member_login.py`.

Views parse input, load objects of the session's mini program (404 otherwise), call one
members service and render; `console_view(action=...)` decides who may open each page
from the permission table.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view, owned_or_404
from miniport.console.forms.common import attach_error
from miniport.console.forms.members import (
    FILTERS,
    ROLE_LABELS,
    AddProjectMemberForm,
    RolesForm,
    WeChatIdForm,
)
from miniport.console.tickets import ALIVE
from miniport.console.views.common import page
from miniport.core.errors import PlatformError
from miniport.identities import selectors as identity_selectors
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MemberKind, MemberStatus
from miniport.miniprograms.services import handover as handover_services
from miniport.miniprograms.services import members as member_services
from miniport.web.sessions import session_key_of

HANDOVER_TICKETS = "console_handover_tickets"


def _roles_text(member: Member) -> str:
    return " / ".join(str(ROLE_LABELS[role]) for role in member.roles)


def _rows(queryset, request) -> list[dict]:
    me = request.console.identity_id
    return [
        {
            "member": member,
            "roles_text": _roles_text(member),
            "pending": member.status == MemberStatus.PENDING,
            "is_me": member.identity_id == me,
        }
        for member in queryset
    ]


# Project members


@console_view(action="members.view")
@require_GET
def members_list(request):
    mp = request.miniprogram
    member_services.release_stale(mp)
    role = request.GET.get("role", "")
    role = role if role in permissions.PROJECT_ROLES else ""
    me = selectors.membership(mp, request.console.identity_id, MemberKind.PROJECT)
    return page(
        request,
        "console/members/list.html",
        admin=mp.admin_identity,
        rows=_rows(selectors.project_members(mp, role or None), request),
        filters=FILTERS,
        role=role,
        places=selectors.places(mp, MemberKind.PROJECT),
        can_manage=request.console.may("members.manage"),
        can_hand_over=request.console.may("admin.handover"),
        can_leave=me is not None and request.console.may("members.leave"),
        search_form=WeChatIdForm(),
    )


@console_view(action="members.manage", visible_with="members.view")
@require_http_methods(["GET", "POST"])
def members_add(request):
    """MEM-4: the "添加用户" dialog: search by WeChat ID, choose roles, confirm by scan."""
    mp = request.miniprogram
    member_services.release_stale(mp)
    found = None
    if request.method == "POST":
        form = AddProjectMemberForm(request.POST)
        if form.is_valid():
            try:
                member, _ticket = member_services.member_request_add(
                    actor=actor_of(request),
                    miniprogram=mp,
                    wechat_id=form.cleaned_data["wechat_id"],
                    kind=MemberKind.PROJECT,
                    roles=form.cleaned_data["roles"],
                    session_key=session_key_of(request),
                )
            except PlatformError as error:
                attach_error(form, error)
            else:
                return redirect("console:members_confirm", pk=member.pk)
        found = identity_selectors.find_by_wechat_id(form.data.get("wechat_id", ""))
        search = WeChatIdForm(initial={"wechat_id": form.data.get("wechat_id", "")})
    else:
        # Bound once the search was sent (an empty search asks for an ID on its field).
        search = WeChatIdForm(request.GET if "wechat_id" in request.GET else None)
        form = None
        if search.is_valid() and search.cleaned_data["wechat_id"]:
            found = identity_selectors.find_by_wechat_id(search.cleaned_data["wechat_id"])
            if found is None:
                attach_error(
                    search, PlatformError(MiniProgramError.USER_NOT_FOUND, field="wechat_id")
                )
            else:
                form = AddProjectMemberForm(initial={"wechat_id": found.wechat_id})
    return page(
        request,
        "console/members/add.html",
        search_form=search,
        form=form,
        found=found,
        places=selectors.places(mp, MemberKind.PROJECT),
    )


@console_view(action="members.manage", visible_with="members.view")
@require_http_methods(["GET", "POST"])
def members_roles(request, pk: int):
    """MEM-1: the administrator sets a project member's roles."""
    member = owned_or_404(
        request, Member.objects.select_related("identity"), pk=pk, kind=MemberKind.PROJECT
    )
    form = RolesForm(
        request.POST if request.method == "POST" else None, initial={"roles": member.roles}
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_services.member_set_roles(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                member=member,
                roles=form.cleaned_data["roles"],
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The roles were saved."))
            return redirect("console:members")
    return page(request, "console/members/roles.html", member=member, form=form)


@console_view(action="members.manage", visible_with="members.view")
@require_http_methods(["GET", "POST"])
def members_remove(request, pk: int):
    """MEM-1: the list's "Remove" leads to a confirmation naming the member (GET); its
    button removes them (POST)."""
    member = owned_or_404(
        request, Member.objects.select_related("identity"), pk=pk, kind=MemberKind.PROJECT
    )
    if request.method == "POST":
        return _remove(request, member, "console:members")
    return _remove_confirm(request, member, "console:members")


@console_view(action="members.leave", visible_with="members.view")
@require_http_methods(["GET", "POST"])
def members_leave(request):
    """A project member leaves the mini program; the console session ends with it. The
    list's button leads to a confirmation (GET) that says so; its button leaves (POST)."""
    if request.method == "GET":
        return page(
            request, "console/members/leave_confirm.html", back_url=reverse("console:members")
        )
    try:
        member_services.member_leave(actor=actor_of(request), miniprogram=request.miniprogram)
    except PlatformError as error:
        messages.error(request, error.message())
        return redirect("console:members")
    logout(request)
    messages.info(request, _("You have left the mini program."))
    return redirect("console:login")


def _remove_confirm(request, member: Member, back: str):
    """What removing (or, while it waits for the scan, withdrawing) the member does."""
    return page(
        request,
        "console/members/remove_confirm.html",
        member=member,
        pending=member.status == MemberStatus.PENDING,
        project=member.kind == MemberKind.PROJECT,
        roles_text=_roles_text(member) if member.kind == MemberKind.PROJECT else "",
        back_url=reverse(back),
    )


def _remove(request, member: Member, back: str):
    try:
        member_services.member_remove(
            actor=actor_of(request), miniprogram=request.miniprogram, member=member
        )
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The member was removed."))
    return redirect(back)


# Confirmation of an addition by the administrator's scan (both kinds)


def _back_to(member: Member) -> str:
    return "console:members" if member.kind == MemberKind.PROJECT else "console:members_experience"


@console_view(action="experience.manage", visible_with="experience.view")
@require_http_methods(["GET", "POST"])
def members_confirm(request, pk: int):
    """MEM-4: the QR the administrator scans; polled, then posted to finish the addition.
    Only the browser that asked sees it."""
    member = owned_or_404(request, Member.objects.select_related("identity"), pk=pk)
    key = session_key_of(request)
    ticket = identity_selectors.session_ticket(token=member.confirm_ticket, session_key=key)
    if member.status != MemberStatus.PENDING or ticket is None:
        return redirect(_back_to(member))
    error = ""
    if request.method == "POST":
        try:
            member_services.member_confirm(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                token=ticket.token,
                session_key=key,
            )
        except PlatformError as refused:
            if refused.code != IdentityError.TICKET_PENDING:
                messages.error(request, refused.message())
                return redirect(_back_to(member))
            error = refused.message()
        else:
            messages.success(request, _("The administrator confirmed: the member was added."))
            return redirect(_back_to(member))
    return page(
        request,
        "console/members/confirm.html",
        member=member,
        roles_text=_roles_text(member),
        ticket=ticket,
        scan_url=identity_services.scan_url(ticket),
        ticket_error=error,
        confirm_url=reverse("console:members_confirm", args=[member.pk]),
        back_url=reverse(_back_to(member)),
    )


# Experience members


@console_view(action="experience.view")
@require_GET
def members_experience(request):
    """MEM-2: the experience member list; project members and the administrator add."""
    return _experience_page(request, WeChatIdForm())


def _experience_page(request, form: WeChatIdForm):
    mp = request.miniprogram
    member_services.release_stale(mp)
    return page(
        request,
        "console/members/experience.html",
        rows=_rows(selectors.members(mp, MemberKind.EXPERIENCE), request),
        places=selectors.places(mp, MemberKind.EXPERIENCE),
        can_manage=request.console.may("experience.manage"),
        form=form,
    )


@console_view(action="experience.manage", visible_with="experience.view")
@require_POST
def members_experience_add(request):
    form = WeChatIdForm(request.POST)
    if form.is_valid():
        try:
            member, _ticket = member_services.member_request_add(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                wechat_id=form.cleaned_data["wechat_id"],
                kind=MemberKind.EXPERIENCE,
                session_key=session_key_of(request),
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            return redirect("console:members_confirm", pk=member.pk)
    return _experience_page(request, form)


@console_view(action="experience.manage", visible_with="experience.view")
@require_http_methods(["GET", "POST"])
def members_experience_remove(request, pk: int):
    """MEM-2: a confirmation naming the experience member (GET); its button removes (POST)."""
    member = owned_or_404(
        request, Member.objects.select_related("identity"), pk=pk, kind=MemberKind.EXPERIENCE
    )
    if request.method == "POST":
        return _remove(request, member, "console:members_experience")
    return _remove_confirm(request, member, "console:members_experience")


# Administrator hand-over


def _handover_tickets(request) -> list | None:
    """This session's two hand-over tickets while both are still open."""
    tokens = request.session.get(HANDOVER_TICKETS)
    if not isinstance(tokens, list) or len(tokens) != 2:
        return None
    key = session_key_of(request)
    tickets = [identity_selectors.session_ticket(token=str(t), session_key=key) for t in tokens]
    alive = [t for t in tickets if t is not None]
    if len(alive) != len(tickets):
        return None
    if any(
        identity_services.ticket_status(token=t.token, session_key=key) not in ALIVE for t in alive
    ):
        return None
    return tickets


@console_view(action="admin.handover", visible_with="members.view")
@require_http_methods(["GET", "POST"])
def members_handover(request):
    """MEM-1: hand the administrator role to another real-name verified adult; both scan."""
    form = WeChatIdForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            handover = handover_services.handover_start(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                wechat_id=form.cleaned_data["wechat_id"],
                session_key=session_key_of(request),
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            request.session[HANDOVER_TICKETS] = [
                handover.current_ticket.token,
                handover.new_ticket.token,
            ]
            return redirect("console:members_handover")
    tickets = None if request.method == "POST" else _handover_tickets(request)
    sides = []
    if tickets:
        labels = (_("Current administrator"), _("New administrator"))
        sides = [
            {
                "label": label,
                "ticket": ticket,
                "identity": ticket.expected_identity,
                "scan_url": identity_services.scan_url(ticket),
            }
            for label, ticket in zip(labels, tickets, strict=True)
        ]
    return page(
        request,
        "console/members/handover.html",
        form=form,
        sides=sides,
        admin=request.miniprogram.admin_identity,
    )


@console_view(action="admin.handover", visible_with="members.view")
@require_POST
def members_handover_complete(request):
    tokens = request.session.get(HANDOVER_TICKETS)
    if not isinstance(tokens, list) or len(tokens) != 2:
        return redirect("console:members_handover")
    try:
        handover_services.handover_complete(
            actor=actor_of(request),
            miniprogram=request.miniprogram,
            current_token=str(tokens[0]),
            new_token=str(tokens[1]),
            session_key=session_key_of(request),
        )
    except PlatformError as error:
        if error.code != IdentityError.TICKET_PENDING:
            request.session.pop(HANDOVER_TICKETS, None)
        messages.error(request, error.message())
        return redirect("console:members_handover")
    # This session belonged to the former administrator: it ends here.
    logout(request)
    messages.success(request, _("The administrator was changed. Log in again."))
    return redirect("console:login")
