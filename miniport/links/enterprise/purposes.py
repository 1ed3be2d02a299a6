"""The scan of WW-3: the mini program's administrator authorises an association."""

from django.utils.translation import gettext_lazy as _

from miniport.identities.purposes import register
from miniport.links.enterprise.services.associations import AUTHORIZE, authorize_confirmed

register(
    AUTHORIZE,
    owner="enterprise",
    label=_("enterprise association"),
    shows=_(
        "Confirming authorizes the enterprise below to show your mini program on the "
        "workbench of the members it chooses."
    ),
    on_confirm=authorize_confirmed,
)
