"""The ops desk's own rules.

Registered with the kernel's table from this app's `ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    # Ops desk (B-7, B-8)
    Rule(
        "ops.page_size",
        50,
        gettext_noop("rows"),
        "B-7",
        gettext_noop("Rows per page on the ops desk lists (registrations, audit log)"),
        minimum=1,
        maximum=500,
    ),
    # A total on an ops desk list (the review queue's) is counted only this far, then shows
    # as "N+": counting every row of a large table to draw a page is what keyset pages avoid
    # (issue 14 item 2).
    Rule(
        "ops.count_cap",
        1000,
        gettext_noop("rows"),
        "B-7",
        gettext_noop("Most rows an ops desk list counts for its total (more show as a plus)"),
        minimum=1,
        maximum=100000,
    ),
    # Review desk: the package file viewer and the reviewer's screenshots (issue 8 section 3)
    Rule(
        "ops.review_file_view_bytes",
        64 * 1024,
        gettext_noop("bytes"),
        "VER-3 (the desk's file viewer)",
        gettext_noop("Bytes of one package file the review desk's viewer shows"),
    ),
    Rule(
        "ops.review_screenshot_bytes",
        2 * 1024 * 1024,
        gettext_noop("bytes"),
        "VER-5 (screenshots with a rejection)",
        gettext_noop("Largest screenshot a reviewer may attach to a rejection or delay"),
    ),
    Rule(
        "ops.review_screenshot_side",
        4096,
        gettext_noop("pixels"),
        "VER-5 (screenshots with a rejection)",
        gettext_noop("Longest side of a screenshot a reviewer may attach"),
    ),
)
