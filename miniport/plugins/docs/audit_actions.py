"""Readable names of the plugin documentation audit actions."""

from django.utils.translation import gettext_lazy as _

from miniport.core import audit_labels

audit_labels.register(
    {
        "plugin.doc_upload": _("Plugin document uploaded"),
        "plugin.doc_publish": _("Plugin document published"),
    }
)
