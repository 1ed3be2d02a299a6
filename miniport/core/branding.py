"""The super-app's name and logo, as the operator configures them.

Miniport serves a company's own super-app; copy that names the app says its name, never
"WeChat". `SUPERAPP_NAME` (env MINIPORT_SUPERAPP_NAME) empty means the translated default
name; `SUPERAPP_LOGO` (env MINIPORT_SUPERAPP_LOGO) is a URL or static path, or empty.
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext


def _current_name() -> str:
    configured = (getattr(settings, "SUPERAPP_NAME", "") or "").strip()
    return configured or gettext("Super App")


# Lazy: read when rendered, so the page's language and the current settings decide.
superapp_name_lazy = lazy(_current_name, str)


def superapp_name():
    """The super-app's name to put in copy: the configured one, or the translated default.

    Returns a lazy string; it resolves in the language active when it is rendered."""
    return superapp_name_lazy()


def superapp_logo() -> str:
    """The super-app's logo URL, or "" when none is configured."""
    return (getattr(settings, "SUPERAPP_LOGO", "") or "").strip()


def superapp_name_in(lang: str | None) -> str:
    """The super-app's name in one language ("zh-hans", "en"), for messages built eagerly
    in a given language (error messages, mails)."""
    configured = (getattr(settings, "SUPERAPP_NAME", "") or "").strip()
    if configured:
        return configured
    with translation.override(lang or translation.get_language() or settings.LANGUAGE_CODE):
        return gettext("Super App")


def _named(message) -> str:
    return str(message) % {"app": _current_name()}


named_lazy = lazy(_named, str)


def with_superapp_name(message):
    """A lazy translated message with an `%(app)s` placeholder, filled with the super-app's
    name when rendered (form labels and help texts, defined once at import)."""
    return named_lazy(message)
