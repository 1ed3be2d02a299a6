"""Settings › Basic settings (INF-1..INF-8): the information table with remaining
changes, one edit form per field, the code and offline material downloads, the
service categories page.

Who may see what comes from the permission table through `console_view`:
`profile.view` to open the pages (anyone else gets 404), `profile.edit` /
`categories.edit` to change (403 for those who only see), `subject.view` for the
subject row and `subject.view_id_number` for the (masked) ID number.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import console_view, owned_or_404
from miniport.console.views.common import attach_error
from miniport.console.views.home import shell_context
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.models import CategoryStatus, MiniProgramCategory
from miniport.miniprograms.services import avatar, material, profile
from miniport.miniprograms.services import categories as category_services

# --- access ------------------------------------------------------------------------


def _may(request, action: str) -> bool:
    return request.console.may(action)


# --- forms -------------------------------------------------------------------------


class _LimitedTextForm(forms.Form):
    """One text field whose longest value comes from the policy table (`<rules>.max_length`)
    when the form is made, so an operator's override applies at once; the service
    checks the full rule."""

    field_name = ""
    rules = ""
    label = ""
    textarea = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = forms.Textarea(attrs={"rows": 4}) if self.textarea else None
        self.fields[self.field_name] = forms.CharField(
            label=self.label,
            max_length=policy.value(f"{self.rules}.max_length"),
            widget=widget,
        )


class NameForm(_LimitedTextForm):
    field_name = rules = "name"
    label = _("Mini program name")


class ShortNameForm(_LimitedTextForm):
    field_name = rules = "short_name"
    label = _("Short name")


class IntroductionForm(_LimitedTextForm):
    field_name = rules = "introduction"
    label = _("Introduction")
    textarea = True


class AvatarForm(forms.Form):
    avatar = forms.FileField(
        label=_("Avatar"),
        help_text=_("PNG or JPEG; it is cropped to a square."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )


class _QualificationUploads:
    """One upload field per qualification a category asks for (`certificate_1`, ...),
    and the mapping back from a refusal about a qualification to its field."""

    fields: dict
    qualification_fields: dict[str, str]

    def add_qualification_fields(self, pair: catalog.Pair | None) -> None:
        self.qualification_fields = {}
        for n, name in enumerate(category_services.required_qualifications(pair), start=1):
            field_name = f"certificate_{n}"
            self.fields[field_name] = forms.FileField(
                label=name if pair and pair.second.qualifications else _("Qualification"),
                required=False,
                help_text=_("An image (PNG, JPEG, GIF or BMP) of the document."),
            )
            self.qualification_fields[name] = field_name

    def uploads(self, cleaned_data: dict) -> dict:
        return {name: cleaned_data.get(field) for name, field in self.qualification_fields.items()}

    def attach(self, error: PlatformError) -> None:
        """The refusal on the upload field of the qualification it names."""
        target = self.qualification_fields.get(error.params.get("qualification", ""))
        if target is None and error.field == "certificates" and self.qualification_fields:
            target = next(iter(self.qualification_fields.values()))
        if target is not None:
            error = PlatformError(error.code, field=target, **error.params)
        attach_error(self, error)  # type: ignore[arg-type]


class CategoryAddForm(_QualificationUploads, forms.Form):
    """Pick a category; a sensitive one shows one upload per qualification it asks for
    (after choosing it, or at once with `?category=<first>:<second>`)."""

    category = forms.ChoiceField(label=_("Service category"))

    def __init__(self, *args, pairs: list[catalog.Pair], selected: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.pairs = {f"{p.first.id}:{p.second.id}": p for p in pairs}
        self.fields["category"].choices = [
            (key, f"{pair.label}{' *' if pair.sensitive else ''}")
            for key, pair in self.pairs.items()
        ]
        self.pair = self.pairs.get(selected)
        if self.pair is not None:
            self.initial["category"] = selected
        self.add_qualification_fields(self.pair)


class CertificateForm(_QualificationUploads, forms.Form):
    """New documents for a rejected category, one per qualification."""

    def __init__(self, *args, pair: catalog.Pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_qualification_fields(pair)


EDITS = {
    "name": (NameForm, _("Change the name")),
    "short_name": (ShortNameForm, _("Change the short name")),
    "avatar": (AvatarForm, _("Change the avatar")),
    "introduction": (IntroductionForm, _("Change the introduction")),
}


def _apply(request, field: str, form: forms.Form):
    mp, actor, data = request.miniprogram, request.actor, form.cleaned_data
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


def _left_text(allowance: profile.Allowance) -> str:
    n = allowance.remaining
    if allowance.window == "month":
        return ngettext("%(n)s change left this month", "%(n)s changes left this month", n) % {
            "n": n
        }
    if allowance.window == "year":
        return ngettext("%(n)s change left this year", "%(n)s changes left this year", n) % {"n": n}
    return ngettext("%(n)s change left", "%(n)s changes left", n) % {"n": n}


def _rule_text(allowance: profile.Allowance) -> str:
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


def masked_id_number(value: str) -> str:
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def _subject_facts(request) -> dict | None:
    if not _may(request, "subject.view"):
        return None
    subject = request.miniprogram.subject
    facts = {
        "name": subject.masked_name,
        "type": subject.get_subject_type_display(),
        "personal": subject.subject_type == "personal",
        "credit_code": subject.credit_code,
        "id_number": None,
    }
    if _may(request, "subject.view_id_number") and subject.id_number:
        facts["id_number"] = masked_id_number(subject.id_number)
    return facts


def _certification(mp) -> dict:
    subject = mp.subject
    if subject.subject_type == "personal":
        return {
            "state": _("Not certified"),
            "note": _("Personal accounts cannot be certified."),
            "ok": False,
        }
    if subject.certified_at:
        return {"state": _("Certified"), "note": "", "ok": True, "at": subject.certified_at}
    return {
        "state": _("Not certified"),
        "note": _("Certification: Settings › Basic settings › Certification."),
        "ok": False,
    }


def _name_rule_text(mp, allowance: profile.Allowance) -> list[str]:
    lines = [_rule_text(allowance)]
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
    can_edit = _may(request, "profile.edit") and lock is None
    rows = [
        {
            "key": "name",
            "label": _("Mini program name"),
            "value": mp.name or "",
            "rules": _name_rule_text(mp, left["name"]),
            "left": _left_text(left["name"]),
            "remaining": left["name"].remaining,
            "pending": profile.pending_name_review(mp),
        },
        {
            "key": "short_name",
            "label": _("Short name"),
            "value": mp.short_name,
            "rules": [_rule_text(left["short_name"])],
            "left": _left_text(left["short_name"]),
            "remaining": left["short_name"].remaining,
        },
        {
            "key": "avatar",
            "label": _("Avatar"),
            "value": bool(mp.avatar),
            "rules": [_rule_text(left["avatar"])],
            "left": _left_text(left["avatar"]),
            "remaining": left["avatar"].remaining,
        },
        {
            "key": "introduction",
            "label": _("Introduction"),
            "value": mp.introduction,
            "rules": [_rule_text(left["introduction"])],
            "left": _left_text(left["introduction"]),
            "remaining": left["introduction"].remaining,
        },
    ]
    context = shell_context(request) | {
        "rows": rows,
        "can_edit": can_edit,
        "lock_message": PlatformError(lock).message() if lock else "",
        "categories": category_services.categories_of(mp),
        "categories_rule": _rule_text(left["categories"]),
        "categories_left": _left_text(left["categories"]),
        "subject": _subject_facts(request),
        "certification": _certification(mp),
    }
    return render(request, "console/profile/basic.html", context)


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
    context = shell_context(request) | {
        "form": form,
        "title": title,
        "field": field,
        "left": _left_text(left),
        "remaining": left.remaining,
        "lock_message": _lock_message(request.miniprogram),
    }
    return render(request, "console/profile/edit.html", context, status=400 if form.errors else 200)


def _lock_message(mp) -> str:
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


# --- categories --------------------------------------------------------------------


def _status_badge(status: str) -> str:
    return {
        CategoryStatus.APPROVED: "ok",
        CategoryStatus.REVIEWING: "warn",
        CategoryStatus.REJECTED: "bad",
    }[status]


@console_view(action="profile.view")
@require_http_methods(["GET", "POST"])
def categories_page(request):
    mp = request.miniprogram
    tree = catalog.catalog_for(mp.subject)
    selected = (request.POST if request.method == "POST" else request.GET).get("category", "")
    form = CategoryAddForm(
        request.POST or None, request.FILES or None, pairs=tree.pairs(), selected=selected
    )
    if request.method == "POST":
        if not _may(request, "categories.edit"):
            raise PermissionDenied
        if form.is_valid():
            pair = form.pairs[form.cleaned_data["category"]]
            # Files chosen under the fields of another category are not this one's.
            shown = request.POST.get("shown") == form.cleaned_data["category"]
            try:
                row = category_services.category_add_with_upload(
                    actor=request.actor,
                    miniprogram=mp,
                    first=pair.first.id,
                    second=pair.second.id,
                    uploads=form.uploads(form.cleaned_data) if shown else {},
                )
            except PlatformError as error:
                form.attach(error)
            else:
                if row.status == CategoryStatus.REVIEWING:
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
    context = shell_context(request) | {
        "form": form,
        "shown": selected if form.pair is not None else "",
        "rows": rows,
        "max": policy.value("categories.max"),
        "left": _left_text(left),
        "remaining": left.remaining,
        "can_edit": _may(request, "categories.edit") and profile.info_lock(mp) is None,
        "lock_message": _lock_message(mp),
        "sensitive": [pair for pair in tree.pairs() if pair.sensitive],
    }
    return render(
        request, "console/profile/categories.html", context, status=400 if form.errors else 200
    )


def _own_category(request, pk: int) -> MiniProgramCategory:
    return owned_or_404(request, MiniProgramCategory, pk=pk)


@console_view(action="categories.edit", visible_with="profile.view")
@require_POST
def category_delete(request, pk: int):
    row = _own_category(request, pk)
    try:
        category_services.category_delete(
            actor=request.actor,
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
                actor=request.actor,
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
    context = shell_context(request) | {"form": form, "category": row}
    return render(
        request, "console/profile/category_modify.html", context, status=400 if form.errors else 200
    )


def edit_url(field: str) -> str:
    return reverse("console:basic_settings_edit", args=[field])


urlpatterns = [
    path("", basic_settings, name="basic_settings"),
    path("edit/<str:field>/", edit_field, name="basic_settings_edit"),
    path("avatar/", avatar_image, name="basic_settings_avatar"),
    path("code.png", code_image, name="basic_settings_code"),
    path("material.zip", material_download, name="basic_settings_material"),
    path("categories/", categories_page, name="basic_categories"),
    path("categories/<int:pk>/delete/", category_delete, name="basic_category_delete"),
    path("categories/<int:pk>/modify/", category_modify, name="basic_category_modify"),
]
