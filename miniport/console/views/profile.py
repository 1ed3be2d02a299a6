"""Settings › Basic settings (INF-1..INF-5, INF-8): the information table with remaining
changes, one edit form per field, the code and offline material downloads. The service
categories page is `console/views/categories.py`; forms in `console/forms/profile.py`,
templates in `templates/console/profile/`.

Who may see what comes from the permission table through `console_view`:
`profile.view` to open the pages (anyone else gets 404), `profile.edit` to change (403
for those who only see), `subject.view` for the subject row and
`subject.view_id_number` for the (masked) ID number.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.profile import EDITS
from miniport.console.views.common import page
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.masking import mask
from miniport.miniprograms.services import avatar, material, profile
from miniport.miniprograms.services import categories as category_services
from miniport.payments.certification.selectors import day


def _apply(request, field: str, form: forms.Form):
    mp, actor, data = request.miniprogram, actor_of(request), form.cleaned_data
    if field == "name":
        profile.name_request(actor=actor, miniprogram=mp, name=data["name"])
        return _("The name was submitted for review; it takes effect once approved.")
    if field == "short_name":
        profile.short_name_change(actor=actor, miniprogram=mp, short_name=data["short_name"])
        return _("The short name was changed.")
    if field == "avatar":
        avatar.avatar_change(actor=actor, miniprogram=mp, upload=data["avatar"])
        return _("The avatar was changed.")
    profile.introduction_change(actor=actor, miniprogram=mp, introduction=data["introduction"])
    return _("The introduction was changed.")


# --- presentation ------------------------------------------------------------------


def left_text(allowance: profile.Allowance) -> str:
    n = allowance.remaining
    if allowance.window == "month":
        return ngettext("%(n)s change left this month", "%(n)s changes left this month", n) % {
            "n": n
        }
    if allowance.window == "year":
        return ngettext("%(n)s change left this year", "%(n)s changes left this year", n) % {"n": n}
    return ngettext("%(n)s change left", "%(n)s changes left", n) % {"n": n}


def rule_text(allowance: profile.Allowance) -> str:
    n = allowance.limit
    if allowance.window == "month":
        return ngettext(
            "Can be changed %(n)s time a month", "Can be changed %(n)s times a month", n
        ) % {"n": n}
    if allowance.window == "year":
        return ngettext(
            "Can be changed %(n)s time a year", "Can be changed %(n)s times a year", n
        ) % {"n": n}
    return ngettext(
        "Before the first release the name can be changed %(n)s time.",
        "Before the first release the name can be changed %(n)s times.",
        n,
    ) % {"n": n}


def _subject_facts(request) -> dict | None:
    if not request.console.may("subject.view"):
        return None
    subject = request.miniprogram.subject
    facts = {
        "name": subject.masked_name,
        "type": subject.get_subject_type_display(),
        "personal": subject.subject_type == "personal",
        "credit_code": subject.credit_code,
        "id_number": None,
    }
    if request.console.may("subject.view_id_number") and subject.id_number:
        facts["id_number"] = mask(subject.id_number)
    return facts


def _certification(request) -> dict:
    """INF-8's certification row: the state, until when, and the way to the details."""
    from miniport.console.views.certification import status_of

    mp = request.miniprogram
    status = status_of(mp)
    link = request.console.may("certification.view")
    if status["personal"]:
        return {
            "state": _("Not certified"),
            "note": _("Personal accounts cannot be certified."),
            "ok": False,
            "link": False,
        }
    if status["certified"]:
        return {
            "state": _("Certified"),
            "note": _("Certified until %(date)s") % {"date": day(status["until"])},
            "ok": True,
            "mark": True,
            "until": status["until"],
            "link": link,
        }
    if status["key"] == "expired":
        return {
            "state": _("Expired"),
            "note": _("The certification ended on %(date)s.") % {"date": day(status["until"])},
            "ok": False,
            "bad": True,
            "until": status["until"],
            "link": link,
        }
    return {
        "state": _("Not certified"),
        "note": _("Certification: Settings › Basic settings › Certification."),
        "ok": False,
        "link": link,
    }


def _namerule_text(mp, allowance: profile.Allowance) -> list[str]:
    lines = [rule_text(allowance)]
    if allowance.window == "ever":
        lines.append(
            ngettext(
                "After the release, personal accounts may change the name %(n)s time a year.",
                "After the release, personal accounts may change the name %(n)s times a year.",
                policy.value(profile.NAME_AFTER_RELEASE),
            )
            % {"n": policy.value(profile.NAME_AFTER_RELEASE)}
        )
    return lines


@console_view(action="profile.view")
@require_GET
def basic_settings(request):
    mp = request.miniprogram
    left = profile.allowances(mp)
    lock = profile.info_lock(mp)
    can_edit = request.console.may("profile.edit") and lock is None
    rows = [
        {
            "key": "name",
            "label": _("Mini program name"),
            "value": mp.name or "",
            "rules": _namerule_text(mp, left["name"]),
            "left": left_text(left["name"]),
            "remaining": left["name"].remaining,
            "pending": profile.pending_name_review(mp),
        },
        {
            "key": "short_name",
            "label": _("Short name"),
            "value": mp.short_name,
            "rules": [rule_text(left["short_name"])],
            "left": left_text(left["short_name"]),
            "remaining": left["short_name"].remaining,
        },
        {
            "key": "avatar",
            "label": _("Avatar"),
            "value": bool(mp.avatar),
            "rules": [rule_text(left["avatar"])],
            "left": left_text(left["avatar"]),
            "remaining": left["avatar"].remaining,
        },
        {
            "key": "introduction",
            "label": _("Introduction"),
            "value": mp.introduction,
            "rules": [rule_text(left["introduction"])],
            "left": left_text(left["introduction"]),
            "remaining": left["introduction"].remaining,
        },
    ]
    return page(
        request,
        "console/profile/basic.html",
        rows=rows,
        can_edit=can_edit,
        lock_message=PlatformError(lock).message() if lock else "",
        categories=category_services.categories_of(mp),
        categories_rule=rule_text(left["categories"]),
        categories_left=left_text(left["categories"]),
        subject=_subject_facts(request),
        certification=_certification(request),
    )


@console_view(action="profile.edit", visible_with="profile.view")
@require_http_methods(["GET", "POST"])
def edit_field(request, field: str):
    if field not in EDITS:
        raise Http404
    form_class, title = EDITS[field]
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = _apply(request, field, form)
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(request, done)
            return redirect("console:basic_settings")
    left = profile.allowances(request.miniprogram)[field]
    return page(
        request,
        "console/profile/edit.html",
        status=400 if form.errors else 200,
        form=form,
        title=title,
        field=field,
        left=left_text(left),
        remaining=left.remaining,
        lock_message=lock_message(request.miniprogram),
    )


def lock_message(mp) -> str:
    lock = profile.info_lock(mp)
    return PlatformError(lock).message() if lock else ""


@console_view(action="profile.view")
@require_GET
def avatar_image(request):
    name = request.miniprogram.avatar.name
    if not name or not default_storage.exists(name):
        raise Http404
    content_type = "image/jpeg" if name.endswith(".jpg") else "image/png"
    return FileResponse(default_storage.open(name, "rb"), content_type=content_type)


@console_view(action="profile.view")
@require_GET
def code_image(request):
    response = HttpResponse(material.code_png(request.miniprogram), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = (
            f'attachment; filename="{request.miniprogram.appid}-code.png"'
        )
    return response


@console_view(action="profile.view")
@require_GET
def material_download(request):
    mp = request.miniprogram
    response = HttpResponse(material.material_zip(mp), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{material.material_filename(mp)}"'
    return response
