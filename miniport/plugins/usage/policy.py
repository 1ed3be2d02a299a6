"""The rules of plugin usage (PLG-9, PLG-11, B-9), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "plugin.application_answer_hours",
        24,
        gettext_noop("hours"),
        "PLG-9",
        gettext_noop(
            "Hours the plugin owner has to answer a usage application before it times out"
        ),
    ),
    Rule(
        "plugin.applications_per_month",
        50,
        gettext_noop("applications"),
        "PLG-11",
        gettext_noop("Plugin usage applications one mini program may make in a month"),
    ),
    Rule(
        "plugin.max_in_use",
        100,
        gettext_noop("plugins"),
        "PLG-11",
        gettext_noop("Plugins one mini program may use or apply for at the same time"),
    ),
    Rule(
        "plugin.allowlist_max",
        500,
        gettext_noop("AppIDs"),
        "B-9",
        gettext_noop("AppIDs in the allowlist of a plugin's approval policy"),
    ),
    Rule(
        "plugin.search_page_size",
        20,
        gettext_noop("plugins"),
        "PLG-11",
        gettext_noop("Plugins on one page of the search"),
        maximum=100,
        minimum=1,
    ),
    Rule(
        "plugin.apply_list_max_num",
        100,
        gettext_noop("applications"),
        "PLG-9",
        gettext_noop("Applications on one page of the owner's application list"),
        maximum=1000,
    ),
)
