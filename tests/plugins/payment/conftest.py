"""The plugin payment tests' merchants (`tests.payments.shops`) beside the plugins'
makers."""

from tests.payments.shops import make_merchant  # noqa: F401
from tests.plugins.payment.paymakers import paying_plugin  # noqa: F401
