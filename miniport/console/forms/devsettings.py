"""Development settings forms (DEV-2, DEV-3); views in `console/views/devsettings.py`.
Lists are one entry per line; the services check every entry."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miniport.console.forms.common import option_labels
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS, PushFormat, PushMode
from miniport.miniprograms.services import devsettings

DOMAIN_LABELS = {
    "requestdomain": gettext_lazy("request domains"),
    "wsrequestdomain": gettext_lazy("socket domains"),
    "uploaddomain": gettext_lazy("uploadFile domains"),
    "downloaddomain": gettext_lazy("downloadFile domains"),
    "udpdomain": gettext_lazy("udp domains"),
    "tcpdomain": gettext_lazy("tcp domains"),
}


class IpWhitelistForm(forms.Form):
    ip_whitelist = forms.CharField(
        label=gettext_lazy("IP whitelist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One IPv4 address or CIDR range per line. Empty: every address may fetch the access_token."
        ),
    )


class DomainsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DOMAIN_FIELDS:
            scheme = devsettings.DOMAIN_SCHEMES[name]
            self.fields[name] = forms.CharField(
                label=DOMAIN_LABELS[name],
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One per line, starting with %(scheme)s://") % {"scheme": scheme},
            )

    def clean(self):
        """The console is strict: the first invalid entry of each list is named on that
        list, by the service's own rule (`normalize_domain`). Checked here because the
        service, for a list all of whose entries are invalid, answers the API's "nothing
        to modify" (wechat-api 6.1) before naming the entry."""
        cleaned = super().clean() or {}
        for name in DOMAIN_FIELDS:
            lines = (cleaned.get(name) or "").splitlines()
            scheme = devsettings.DOMAIN_SCHEMES[name]
            for entry in (line.strip() for line in lines):
                if entry and devsettings.normalize_domain(entry, scheme) is None:
                    refusal = PlatformError(
                        MiniProgramError.DOMAIN_INVALID, field=name, domain=entry[:200]
                    )
                    self.add_error(name, refusal.message())
                    break
        return cleaned


class WebviewForm(forms.Form):
    webviewdomain = forms.CharField(
        label=gettext_lazy("Business domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One per line, starting with https://, without a port."),
    )


class PushForm(forms.Form):
    push_url = forms.CharField(
        label=gettext_lazy("Server address (URL)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy(
            "Must answer the verification request with the echostr it receives."
        ),
    )
    push_token = forms.CharField(label=gettext_lazy("Token"), max_length=64, required=False)
    push_aes_key = forms.CharField(
        label=gettext_lazy("Message encryption key (EncodingAESKey)"), max_length=64, required=False
    )
    push_mode = forms.ChoiceField(
        label=gettext_lazy("Encryption mode"), choices=option_labels(PushMode.choices)
    )
    push_format = forms.ChoiceField(
        label=gettext_lazy("Data format"),
        choices=PushFormat.choices,
        initial=PushFormat.XML,
        required=False,
    )
