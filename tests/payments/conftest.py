"""The payment tests' merchants (`tests.payments.shops`)."""

from tests.payments.shops import Shop, make_merchant, shop  # noqa: F401
