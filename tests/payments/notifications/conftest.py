import miniport.payments.sandbox.policy  # noqa: F401  (until the sandbox's ready() registers it)
