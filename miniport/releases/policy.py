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
        "package.max_path_depth",
        32,
        gettext_noop("folders"),
        "DESIGN security (a file tree the console and the desk can draw)",
        gettext_noop("Most folders a code package file may sit in"),
    ),
    Rule(
        "package.max_path_chars",
        512,
        gettext_noop("characters"),
        "DESIGN security (paths an extractor can write)",
        gettext_noop("Longest path of a file in a code package"),
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

register(
    # Versions, review submissions and release (VER-1..VER-7, B-5; wechat-api 4.1, 4.5..4.13)
    Rule(
        "version.max_user_version_chars",
        64,
        gettext_noop("characters"),
        "VER-1 (wechat-api 4.1: user_version at most 64 characters)",
        gettext_noop("Longest version number of an upload"),
        maximum=64,  # DevVersion.user_version
    ),
    Rule(
        "version.max_user_desc_chars",
        500,
        gettext_noop("characters"),
        "VER-1 (the version note)",
        gettext_noop("Longest version note of an upload"),
        maximum=500,  # DevVersion.user_desc
    ),
    Rule(
        "submit.max_items",
        5,
        gettext_noop("item groups"),
        "VER-3 (at most 5 groups; wechat-api 4.5, 85023)",
        gettext_noop("Most item groups (page, category, tags, title) in a review submission"),
    ),
    Rule(
        "submit.max_tags",
        10,
        gettext_noop("tags"),
        "VER-3 (wechat-api 4.5: at most 10 tags, 85006)",
        gettext_noop("Most tags in one item group of a review submission"),
    ),
    Rule(
        "submit.max_tag_chars",
        20,
        gettext_noop("characters"),
        "VER-3 (wechat-api 4.5: each tag at most 20 characters, 85006)",
        gettext_noop("Longest tag of a review submission"),
    ),
    Rule(
        "submit.max_title_chars",
        32,
        gettext_noop("characters"),
        "VER-3 (wechat-api 4.5: title at most 32 characters, 85011)",
        gettext_noop("Longest item title of a review submission"),
    ),
    Rule(
        "submit.max_description_chars",
        2000,
        gettext_noop("characters"),
        "VER-3 (wechat-api 4.5: version_desc, 85051)",
        gettext_noop("Longest description of a review submission"),
    ),
    Rule(
        "submit.max_feedback_chars",
        200,
        gettext_noop("characters"),
        "VER-5 (wechat-api 4.5: feedback_info at most 200 characters)",
        gettext_noop("Longest feedback to the reviewer in a review submission"),
        maximum=200,  # Submission.feedback
    ),
    Rule(
        "submit.max_screenshots",
        5,
        gettext_noop("images"),
        "VER-3 (wechat-api 4.5: at most 5 images, 85093)",
        gettext_noop("Most preview screenshots in a review submission"),
    ),
    Rule(
        "submit.speedups_per_month",
        1,
        gettext_noop("speed-ups"),
        "VER-3 (wechat-api 4.13: speedupaudit, queryquota's speedup_limit, 89405)",
        gettext_noop("Review submissions a mini program may ask to speed up in a month"),
    ),
    Rule(
        "submit.media_max_bytes",
        2 * 1024 * 1024,
        gettext_noop("bytes"),
        "VER-3 (wechat-api 4.13: /wxa/uploadmedia images at most 2 MB, 40006)",
        gettext_noop("Largest image uploaded as review material"),
    ),
    Rule(
        "submit.per_month",
        20,
        gettext_noop("submissions"),
        "VER-3 (wechat-api 1.3 and 4.5: monthly submit quota, 85085)",
        gettext_noop("Review submissions a mini program may make in a month"),
    ),
    Rule(
        "submit.undo_per_day",
        5,
        gettext_noop("withdrawals"),
        "VER-5 (wechat-api 4.9: 5 a day, 87013)",
        gettext_noop("Review submissions a mini program may withdraw in a day"),
    ),
    Rule(
        "submit.undo_per_month",
        10,
        gettext_noop("withdrawals"),
        "VER-5 (wechat-api 4.9: 10 a month, 87013)",
        gettext_noop("Review submissions a mini program may withdraw in a month"),
    ),
    Rule(
        "release.public_beta",
        0,
        gettext_noop("switch (1 on, 0 off)"),
        "VER-6 (while the platform is in public beta, release is disabled)",
        gettext_noop("Public beta: while on, no mini program may release"),
        maximum=1,
    ),
    Rule(
        "release.rollback_depth",
        5,
        gettext_noop("versions"),
        "B-5 (wechat-api 4.10, 4.11: the last 5 released versions are kept)",
        gettext_noop("Released versions a mini program may roll back to"),
        minimum=1,
    ),
    # The template library (wechat-api 13: addtotemplate refuses a full library, 85065)
    Rule(
        "template.max_per_library",
        100,
        gettext_noop("templates"),
        "VER-1 (wechat-api 13: template library full, 85065)",
        gettext_noop("Templates in one administrator's template library"),
    ),
    # Mini program codes (wechat-api: getwxacode and createwxaqrcode make at most 100,000
    # codes in all per mini program, 45029; getwxacodeunlimit is not counted)
    Rule(
        "wxacode.max_total",
        100_000,
        gettext_noop("codes"),
        "INF-7 (wechat-api: getwxacode + createwxaqrcode, 100,000 in all, 45029)",
        gettext_noop("Mini program codes of the counted kinds one mini program may make in all"),
    ),
    Rule(
        "submit.video_max_bytes",
        10 * 1024 * 1024,
        gettext_noop("bytes"),
        "VER-3 (wechat-api 4.13: /wxa/uploadmedia mp4 videos at most 10 MB, 40006)",
        gettext_noop("Largest video uploaded as review material"),
        minimum=1,
    ),
)
