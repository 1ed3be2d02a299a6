"""The limits of open platform accounts (OPN-1; wechat-api 3.3, 10), registered from
`setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "open.uncertified_max_apps",
        5,
        gettext_noop("mini programs"),
        "OPN-1",
        gettext_noop(
            "Mini programs of its own subject an uncertified open account created by API may bind"
        ),
    ),
    Rule(
        "open.certified_max_apps",
        100,
        gettext_noop("apps"),
        "OPN-1",
        gettext_noop("Apps a certified open platform account may bind"),
    ),
    Rule(
        "open.certification_max_documents",
        5,
        gettext_noop("documents"),
        "OPN-1",
        gettext_noop("Documents of one developer qualification certification"),
    ),
)
