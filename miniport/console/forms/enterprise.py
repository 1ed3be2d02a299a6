"""Forms of the enterprise console and of the mini program's enterprise associations
(WW-2, WW-4). They only parse input; the services check every rule and their refusals
land on the field they name (`attach_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from miniport.console.forms.common import appid_field, text_field
from miniport.links.enterprise.models import NAME_MAX


class CorpIdForm(forms.Form):
    corp_id = forms.CharField(
        max_length=40,
        label=_("Enterprise ID"),
        error_messages={"required": _("Enter the ID of the enterprise.")},
    )


class AppIdForm(forms.Form):
    appid = appid_field()


class DepartmentAddForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("Parent department"), coerce=int, choices=())
    name = text_field(NAME_MAX * 2, label=_("Department name"))

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choose(self.fields["parent"], [(d.pk, _indented(d)) for d in departments])


class DepartmentRenameForm(forms.Form):
    name = text_field(NAME_MAX * 2, label=_("New name"))


def _choose(field: forms.Field, choices: list) -> None:
    # The choices are the enterprise's own departments and members, known per request.
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _indented(department) -> str:
    return "\u3000" * department.depth + department.name


class MemberAddForm(forms.Form):
    wechat_id = text_field(40, label=_("Account of the member"))
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"), coerce=int, choices=(), required=False
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choose(self.fields["departments"], [(d.pk, _indented(d)) for d in departments])


class MemberDepartmentsForm(forms.Form):
    departments = forms.TypedMultipleChoiceField(
        label=_("Departments"), coerce=int, choices=(), required=False
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choose(self.fields["departments"], [(d.pk, _indented(d)) for d in departments])


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
        _choose(self.fields["departments"], [(d.pk, _indented(d)) for d in departments])
        _choose(
            self.fields["members"],
            [(m.pk, m.identity.nickname or m.identity.wechat_id) for m in members],
        )
