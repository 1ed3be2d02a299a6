"""QR ticket purposes of merchants: the administrator confirms by scan before the API key
is shown (once) or rotated, like the AppSecret's reset."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miniport.identities.purposes import register

KEY_SHOW = register(
    "merchant_key_show",
    owner="payments",
    label=_("show the merchant's API key"),
    shows=_(
        "Confirming shows the merchant's API key once, in the browser that asked; it "
        "cannot be shown again."
    ),
)
KEY_ROTATE = register(
    "merchant_key_rotate",
    owner="payments",
    label=_("rotate the merchant's API key"),
    shows=_(
        "Confirming issues a new API key for the merchant, shown once; the previous key "
        "stops signing at once."
    ),
)
