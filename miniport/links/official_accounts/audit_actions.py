"""Readable names of the official-account audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "official_account.create": _("Official account created"),
        "official_account.profile": _("Official account profile changed"),
        "official_account.menu": _("Official account menu changed"),
        "official_account.secret_reset": _("Official account AppSecret reset"),
        "official_account.link_request": _("Association with an official account requested"),
        "official_account.link_confirm": _("Association with an official account confirmed"),
        "official_account.link_refuse": _("Association with an official account refused"),
        "official_account.unlink": _("Association with an official account removed"),
    }
)
