"""Mini programs: the thing a registration creates and the console manages."""

import unicodedata

from django.db import models

# Characters that print nothing or change how their neighbours print: controls (Cc),
# format characters (Cf: zero-width spaces and joiners, soft hyphens, byte order marks,
# direction overrides), line and paragraph separators (Zl, Zp), and code points that are
# no character to show (surrogates Cs, private use Co, unassigned Cn).
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def invisible_characters(text: str) -> list[str]:
    """The characters of `text` in INVISIBLE_CATEGORIES, in order."""
    return [ch for ch in text if unicodedata.category(ch) in INVISIBLE_CATEGORIES]


def name_key(name: str) -> str:
    """What makes two names the same name (INF-2 "unique on the platform"): compatibility
    forms folded (NFKC: full-width "Ｍｉｎｉ" is "Mini", the ideographic space a space),
    then case folded ("MINI" is "mini"), runs of whitespace one space."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class MiniProgram(models.Model):
    appid = models.CharField(max_length=32, unique=True)
    account = models.OneToOneField(
        "accounts.Account", on_delete=models.CASCADE, related_name="miniprogram"
    )
    subject = models.OneToOneField(
        "accounts.Subject", on_delete=models.PROTECT, related_name="miniprogram"
    )
    admin_identity = models.ForeignKey(
        "identities.Identity", on_delete=models.PROTECT, related_name="administered"
    )
    # Unique on the platform once set (INF-2); null until the first name is approved.
    name = models.CharField(max_length=60, null=True, blank=True, unique=True)
    # `name_key(name)`, kept by save(): the database's guard of uniqueness up to width
    # and case. Null without a name (and for a name an older row already held so).
    name_key = models.TextField(null=True, blank=True, unique=True, editable=False)
    # INF-3..INF-5; the name itself changes only through an approved name review (INF-2).
    short_name = models.CharField(max_length=30, blank=True)
    avatar = models.FileField(upload_to="avatars/", blank=True)
    introduction = models.CharField(max_length=200, blank=True)
    # The AppSecret is stored as a keyed hash only (DEV-2); empty until first generated.
    secret_digest = models.CharField(max_length=64, blank=True)
    secret_set_at = models.DateTimeField(null=True, blank=True)
    first_released_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.appid

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name) if self.name else None
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields and "name_key" not in fields:
            kwargs["update_fields"] = [*fields, "name_key"]
        super().save(*args, **kwargs)

    @property
    def registration(self):
        return self.subject.registration

    @property
    def is_active(self) -> bool:
        return self.subject.registration.status == "active"

    @property
    def is_certified(self) -> bool:
        return self.subject.is_certified
