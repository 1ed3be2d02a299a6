"""Member management forms (MEM-1..MEM-5) and the role labels the member pages and the
member login show; views in `console/views/members.py`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from miniport.core.branding import with_superapp_name
from miniport.miniprograms import permissions

# Seed 004, "权限设置": each role with what it opens.
ROLE_CHOICES = [
    (
        permissions.OPERATOR,
        gettext_lazy("Operator: management, promotion, settings and other modules"),
    ),
    (
        permissions.DEVELOPER,
        gettext_lazy("Developer: development module; may use the experience version"),
    ),
    (
        permissions.DATA_ANALYST,
        gettext_lazy(
            "Data analyst (basic analysis): statistics module; may use the experience version"
        ),
    ),
]
ROLE_LABELS = {
    permissions.ADMINISTRATOR: gettext_lazy("Administrator"),
    permissions.OPERATOR: gettext_lazy("Operator"),
    permissions.DEVELOPER: gettext_lazy("Developer"),
    permissions.DATA_ANALYST: gettext_lazy("Data analyst"),
}
# The list filters of seed 004: 全部成员 / 运营者 / 开发者 / 数据分析.
FILTERS = [("", gettext_lazy("All members"))] + [
    (role, ROLE_LABELS[role]) for role in permissions.PROJECT_ROLES
]


class WeChatIdForm(forms.Form):
    # Whether the ID exists is the service's answer (USER_NOT_FOUND); the form bounds size
    # and asks for an ID where none was typed (the service would answer "not found",
    # which is the wire's word for an unknown user, not for an empty field).
    wechat_id = forms.CharField(
        label=with_superapp_name(gettext_lazy("%(app)s ID")),
        max_length=40,
        error_messages={
            "required": with_superapp_name(gettext_lazy("Enter the user's %(app)s ID."))
        },
        help_text=with_superapp_name(gettext_lazy("Enter a %(app)s ID to search.")),
        widget=forms.TextInput(attrs={"class": "input"}),
    )


class RolesForm(forms.Form):
    # "At least one" is the service's rule (MEMBER_ROLE_REQUIRED).
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Permission settings"),
        choices=ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AddProjectMemberForm(WeChatIdForm, RolesForm):
    wechat_id = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
