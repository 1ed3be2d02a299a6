"""The limits of plugin development (PLG-3..PLG-5), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "plugin.name_min_length",
        2,
        gettext_noop("characters"),
        "PLG-3",
        gettext_noop("Shortest plugin name"),
        maximum=60,
    ),
    Rule(
        "plugin.name_max_length",
        30,
        gettext_noop("characters"),
        "PLG-3",
        gettext_noop("Longest plugin name"),
        maximum=60,
    ),
    Rule(
        "plugin.introduction_min_length",
        4,
        gettext_noop("characters"),
        "PLG-5",
        gettext_noop("Shortest plugin introduction"),
        maximum=200,
    ),
    Rule(
        "plugin.introduction_max_length",
        120,
        gettext_noop("characters"),
        "PLG-5",
        gettext_noop("Longest plugin introduction"),
        maximum=200,
    ),
    Rule(
        "plugin.service_contact_max_length",
        100,
        gettext_noop("characters"),
        "PLG-5",
        gettext_noop("Longest plugin customer service contact"),
        maximum=100,
    ),
    Rule(
        "plugin.server_domains_max",
        20,
        gettext_noop("domains"),
        "PLG-4",
        gettext_noop("Server domains of a plugin"),
    ),
    Rule(
        "plugin.token_min_length",
        3,
        gettext_noop("characters"),
        "PLG-4",
        gettext_noop("Shortest plugin Token"),
        maximum=32,
    ),
    Rule(
        "plugin.token_max_length",
        32,
        gettext_noop("characters"),
        "PLG-4",
        gettext_noop("Longest plugin Token"),
        maximum=32,
    ),
    Rule(
        "plugin.appid_attempts",
        10,
        gettext_noop("attempts"),
        "PLG-3",
        gettext_noop("Attempts at a plugin AppID that no mini program or plugin holds"),
    ),
)
