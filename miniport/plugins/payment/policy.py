"""The limits of a plugin's payment application (PLG-10), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "plugin.payment_max_documents",
        8,
        gettext_noop("documents"),
        "PLG-10",
        gettext_noop("Proof documents of one plugin payment application"),
    ),
    Rule(
        "plugin.payment_document_max_bytes",
        5 * 1024 * 1024,
        gettext_noop("bytes"),
        "PLG-10",
        gettext_noop("Size of one proof document of a plugin payment application"),
    ),
)
