"""The rules of plugin versions (PLG-7, PLG-8), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "plugin_version.max_tags",
        5,
        gettext_noop("tags"),
        "PLG-8",
        gettext_noop("Tags of one plugin submission"),
    ),
    Rule(
        "plugin_version.max_tag_chars",
        10,
        gettext_noop("characters"),
        "PLG-8",
        gettext_noop("Characters of one tag of a plugin submission"),
    ),
    Rule(
        "plugin_version.max_preview_images",
        5,
        gettext_noop("images"),
        "PLG-8",
        gettext_noop("Preview images of one plugin submission"),
    ),
    Rule(
        "plugin_version.max_description_chars",
        500,
        gettext_noop("characters"),
        "PLG-8",
        gettext_noop("Characters of a plugin submission's description"),
    ),
)
