"""Development settings (DEV-1..DEV-3): IP whitelist, server domains, message push."""

from django.db import models
from django.utils.translation import gettext_lazy as _

DOMAIN_FIELDS = (
    "requestdomain",
    "wsrequestdomain",
    "uploaddomain",
    "downloaddomain",
    "udpdomain",
    "tcpdomain",
)


def empty_domains() -> dict:
    return {name: [] for name in DOMAIN_FIELDS}


class PushMode(models.TextChoices):
    PLAIN = "plain", _("plain text")
    COMPATIBLE = "compatible", _("compatible")
    SAFE = "safe", _("safe")


class PushFormat(models.TextChoices):
    XML = "xml", "XML"
    JSON = "json", "JSON"


class DevSettings(models.Model):
    miniprogram = models.OneToOneField(
        "miniprograms.MiniProgram", on_delete=models.CASCADE, related_name="dev"
    )
    ip_whitelist = models.JSONField(default=list, blank=True)
    domains = models.JSONField(default=empty_domains, blank=True)
    webview_domains = models.JSONField(default=list, blank=True)
    push_url = models.URLField(max_length=500, blank=True)
    push_token = models.CharField(max_length=32, blank=True)
    push_aes_key = models.CharField(max_length=43, blank=True)
    push_mode = models.CharField(max_length=12, choices=PushMode.choices, default=PushMode.PLAIN)
    # The data format of pushed messages (WeChat's 数据格式): XML or JSON.
    push_format = models.CharField(max_length=4, choices=PushFormat.choices, default=PushFormat.XML)
    push_enabled = models.BooleanField(default=False)
    push_verified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"development settings of {self.miniprogram_id}"
