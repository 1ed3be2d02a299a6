"""The limits of plugin documentation (PLG-6), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "plugin.doc_max_zip_bytes",
        10 * 1024 * 1024,
        gettext_noop("bytes"),
        "PLG-6",
        gettext_noop("Size of an uploaded plugin doc folder (zip)"),
    ),
    Rule(
        "plugin.doc_max_html_tags",
        20000,
        gettext_noop("tags"),
        "PLG-6",
        gettext_noop("HTML tags a plugin document's README.md may render to"),
    ),
    Rule(
        "plugin.doc_readme_max_bytes",
        200 * 1024,
        gettext_noop("bytes"),
        "PLG-6",
        gettext_noop("Size of a plugin document's README.md"),
    ),
    Rule(
        "plugin.doc_image_max_bytes",
        2 * 1024 * 1024,
        gettext_noop("bytes"),
        "PLG-6",
        gettext_noop("Size of one image of a plugin document"),
    ),
    Rule(
        "plugin.doc_max_images",
        30,
        gettext_noop("images"),
        "PLG-6",
        gettext_noop("Images in one plugin document"),
    ),
    Rule(
        "plugin.doc_image_max_side",
        4096,
        gettext_noop("pixels"),
        "PLG-6",
        gettext_noop("Width or height of an image of a plugin document"),
    ),
    Rule(
        "plugin.doc_max_entries",
        100,
        gettext_noop("entries"),
        "PLG-6",
        gettext_noop("Entries (files and folders) in an uploaded plugin doc folder"),
    ),
)
