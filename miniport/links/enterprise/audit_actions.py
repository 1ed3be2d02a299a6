"""Readable names of the enterprise audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "enterprise.create": _("Enterprise created"),
        "enterprise.department_add": _("Enterprise department added"),
        "enterprise.department_rename": _("Enterprise department renamed"),
        "enterprise.department_delete": _("Enterprise department deleted"),
        "enterprise.member_add": _("Enterprise member added"),
        "enterprise.member_departments": _("Enterprise member's departments changed"),
        "enterprise.member_remove": _("Enterprise member removed"),
        "enterprise.association_request": _("Enterprise association requested"),
        "enterprise.association_authorize": _("Enterprise association authorized by scan"),
        "enterprise.association_accept": _("Enterprise association accepted"),
        "enterprise.association_end": _("Enterprise association ended"),
        "enterprise.range_set": _("Enterprise visibility range changed"),
    }
)
