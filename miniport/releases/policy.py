"""The releases domain's rules: the limits a code package is held to before it is stored.

Registered with the kernel's table from this app's `ready()`. Sizes are uncompressed bytes
of the files in each package root, the way WeChat measures its 2 MB / 20 MB limits."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

MIB = 1024 * 1024

register(
    # Code packages (issue 8, section 1; DESIGN security: uploads checked before extraction)
    Rule(
        "package.max_main_bytes",
        2 * MIB,
        gettext_noop("bytes"),
        "VER-1 (WeChat main package 2 MB, 85044)",
        gettext_noop("Largest main package (uncompressed)"),
    ),
    Rule(
        "package.max_subpackage_bytes",
        2 * MIB,
        gettext_noop("bytes"),
        "VER-1 (WeChat subpackage 2 MB, 85044)",
        gettext_noop("Largest subpackage (uncompressed)"),
    ),
    Rule(
        "package.max_total_bytes",
        20 * MIB,
        gettext_noop("bytes"),
        "VER-1 (WeChat total of all packages 20 MB, 85044)",
        gettext_noop("Largest code package, all packages together (uncompressed)"),
    ),
    Rule(
        "package.max_entry_bytes",
        2 * MIB,
        gettext_noop("bytes"),
        "DESIGN security (no file is larger than a package)",
        gettext_noop("Largest single file in a code package (uncompressed)"),
    ),
    Rule(
        "package.max_entries",
        5000,
        gettext_noop("entries"),
        "DESIGN security (file count)",
        gettext_noop("Most entries in a code package archive"),
    ),
    Rule(
        "package.max_compression_ratio",
        100,
        gettext_noop("times"),
        "DESIGN security (zip bombs; Apache POI ZipSecureFile default)",
        gettext_noop("Largest compression ratio of a file in a code package"),
    ),
    Rule(
        "package.ratio_grace_bytes",
        100 * 1024,
        gettext_noop("bytes"),
        "DESIGN security (zip bombs; Apache POI ZipSecureFile default)",
        gettext_noop("Size below which a file's compression ratio is not checked"),
    ),
)
