"""The rules of functional pages (FP-7, FP-9), registered from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "functional.develop_valid_seconds",
        2 * 3600,
        gettext_noop("seconds"),
        "FP-7",
        gettext_noop(
            "How long opening the owner's development version lets an identity test "
            'functional pages with version="develop"'
        ),
    ),
    Rule(
        "functional.script_timeout_ms",
        1000,
        gettext_noop("milliseconds"),
        "FP-9",
        gettext_noop("Time one run of beforeRequestPayment may take before it is stopped"),
        minimum=1,
    ),
    Rule(
        "functional.script_memory_bytes",
        32 * 1024 * 1024,
        gettext_noop("bytes"),
        "FP-9",
        gettext_noop("Memory one run of beforeRequestPayment may use before it is stopped"),
        minimum=1048576,
    ),
    Rule(
        "functional.script_max_bytes",
        256 * 1024,
        gettext_noop("bytes"),
        "FP-9",
        gettext_noop("Code of functional-pages/ read for one run of beforeRequestPayment"),
    ),
    Rule(
        "functional.result_max_bytes",
        16 * 1024,
        gettext_noop("bytes"),
        "FP-9",
        gettext_noop("Largest payment arguments a functional page takes or hands on"),
    ),
    Rule(
        "functional.script_concurrency",
        4,
        gettext_noop("runs"),
        "FP-9",
        gettext_noop("Runs of beforeRequestPayment at the same time in one server process"),
        minimum=1,
        maximum=64,
    ),
)
