"""Forms of the enterprise console and of the mini program's enterprise associations
(WW-2, WW-4). They only parse input; the services check every rule and their refusals
land on the field they name (`attach_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import text_field
from miniport.links.enterprise.models import NAME_MAX


class CorpIdForm(forms.Form):
    corp_id = text_field(40, label=_("Enterprise ID"))


class AppIdForm(forms.Form):
    appid = text_field(40, label="AppID")


class DepartmentAddForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("Parent department"), coerce=int, choices=())
    name = text_field(NAME_MAX * 2, label=_("Department name"))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [(d.pk, _indented(d)) for d in departments]


class DepartmentRenameForm(forms.Form):
    name = text_field(NAME_MAX * 2, label=_("New name"))


def _indented(department) -> str:
    return "\u3000" * department.depth + department.name


class MemberAddForm(forms.Form):
    wechat_id = text_field(40, label=_("Account of the member"))
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"), coerce=int, choices=(), required=False
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(d.pk, _indented(d)) for d in departments]


class MemberDepartmentsForm(forms.Form):
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"), coerce=int, choices=(), required=False
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(d.pk, _indented(d)) for d in departments]


class RangeForm(forms.Form):
    """WW-4: the whole visibility range at once."""

    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, departments=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].choices = [(d.pk, _indented(d)) for d in departments]
        self.fields["members"].choices = [
            (m.pk, m.identity.nickname or m.identity.wechat_id) for m in members
        ]
