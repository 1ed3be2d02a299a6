"""The console's own rules (the version management page, VER-1).

Registered with the kernel's table from this app's `ready()`; descriptions and units are
translated in the console's catalog."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

MIB = 1024 * 1024

register(
    # Version management (VER-1): what the console reads of an upload and of a package
    Rule(
        "console.upload_max_bytes",
        21 * MIB,
        gettext_noop("bytes"),
        "VER-1 (the 20 MB code package limit plus the archive's own headers)",
        gettext_noop(
            "Largest request the console's code upload form reads; larger ones are refused "
            "before the body is read"
        ),
    ),
    Rule(
        "console.file_viewer_max_bytes",
        256 * 1024,
        gettext_noop("bytes"),
        "VER-1 (the package file viewer)",
        gettext_noop("Most bytes of one package file the console's file viewer shows"),
    ),
    Rule(
        "console.versions_page_size",
        20,
        gettext_noop("versions"),
        "VER-1 (the history of development versions)",
        gettext_noop("Development versions per page of the console's version history"),
        minimum=1,
        maximum=500,
    ),
)

register(
    # The console login's device cookie (REG-10, the throttle's way in for the owner)
    Rule(
        "console.device_cookie_days",
        90,
        gettext_noop("days"),
        "REG-10 (a browser that completed a login passes the throttle to the scan)",
        gettext_noop(
            "How long a browser that completed a console login is remembered as the "
            "account's device, so that its right password still leads to the scan while "
            "the login is throttled"
        ),
        minimum=1,
    ),
    Rule(
        "console.device_cookie_accounts",
        8,
        gettext_noop("accounts"),
        "REG-10 (people who manage several mini programs from one browser)",
        gettext_noop(
            "Most accounts one browser is remembered for as a device; the oldest is forgotten first"
        ),
        minimum=1,
        # Each id takes a few bytes of a cookie that must stay under the browsers' 4 KB.
        maximum=100,
    ),
)
