"""The rules of enterprises (WW-2..WW-4), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "enterprise.request_days",
        7,
        gettext_noop("days"),
        "WW-2",
        gettext_noop("Days an association request waits for the other side before it expires"),
    ),
    Rule(
        "enterprise.max_departments",
        1000,
        gettext_noop("departments"),
        "WW-4",
        gettext_noop("Departments one enterprise may have"),
    ),
    Rule(
        "enterprise.department_depth",
        15,
        gettext_noop("levels"),
        "WW-4",
        gettext_noop("Levels of subdepartments below an enterprise's root department"),
        maximum=40,
    ),
    Rule(
        "enterprise.max_members",
        10000,
        gettext_noop("members"),
        "WW-4",
        gettext_noop("Members one enterprise may have"),
    ),
    Rule(
        "enterprise.range_max",
        500,
        gettext_noop("entries"),
        "WW-4",
        gettext_noop("Departments and members in one mini program's visibility range"),
    ),
)
