"""The rules of official accounts (OA-2 and the menu), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "official_account.same_subject_links",
        10,
        gettext_noop("mini programs"),
        "OA-2",
        gettext_noop(
            "Mini programs of its own subject one official account may associate or have waiting"
        ),
    ),
    Rule(
        "official_account.other_subject_links",
        3,
        gettext_noop("mini programs"),
        "OA-2",
        gettext_noop(
            "Mini programs of other subjects one official account may associate or have waiting"
        ),
    ),
    Rule(
        "official_account.links_per_miniprogram",
        500,
        gettext_noop("official accounts"),
        "OA-2",
        gettext_noop("Official accounts one mini program may be associated with or waiting for"),
    ),
    Rule(
        "official_account.additions_per_month",
        13,
        gettext_noop("associations"),
        "OA-2",
        gettext_noop("Association requests one official account may make in a month"),
    ),
    Rule(
        "official_account.miniprogram_additions_per_month",
        500,
        gettext_noop("associations"),
        "OA-2",
        gettext_noop("Association requests one mini program may receive in a month"),
    ),
    Rule(
        "official_account.request_hours",
        72,
        gettext_noop("hours"),
        "OA-3",
        gettext_noop(
            "Hours the mini program administrator has to confirm an association request "
            "before it expires and gives its place back"
        ),
    ),
    Rule(
        "official_account.menu_buttons",
        3,
        gettext_noop("buttons"),
        "OA-3",
        gettext_noop("Buttons of an official account's menu"),
        maximum=10,
    ),
    Rule(
        "official_account.menu_name_length",
        16,
        gettext_noop("characters"),
        "OA-3",
        gettext_noop("Characters of the name of one menu button"),
        maximum=60,
    ),
)
