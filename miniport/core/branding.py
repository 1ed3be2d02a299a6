"""The super-app's name and logo, as the operator configures them.

Miniport serves a company's own super-app; copy that names the app says its name, never
"WeChat". `SUPERAPP_NAME` (env MINIPORT_SUPERAPP_NAME) empty means the translated default
name; `SUPERAPP_LOGO` (env MINIPORT_SUPERAPP_LOGO) is a URL or static path, or empty.
"""

from django.conf import settings
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
