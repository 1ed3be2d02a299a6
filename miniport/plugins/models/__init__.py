"""The plugins domain's tables: the plugin, its documents, versions, submissions and
releases, the applications of the mini programs that use it, its payment application,
and the development previews of functional pages."""

from miniport.plugins.models.docs import PluginDoc
from miniport.plugins.models.functional import FunctionalPreview
from miniport.plugins.models.payment import (
    PLUGIN_PAYMENT_OPEN_STATES,
    PluginPaymentApplication,
    PluginPaymentMode,
    PluginPaymentState,
)
from miniport.plugins.models.plugin import AddMethod, ApprovalPolicy, Plugin
from miniport.plugins.models.usage import (
    APPLICATION_LIVE_STATES,
    PluginApplication,
    PluginApplicationStatus,
)
from miniport.plugins.models.versions import (
    PLUGIN_SUBMISSION_OPEN_STATES,
    PluginRelease,
    PluginSubmission,
    PluginSubmissionState,
    PluginVersion,
)

__all__ = [
    "APPLICATION_LIVE_STATES",
    "PLUGIN_PAYMENT_OPEN_STATES",
    "PLUGIN_SUBMISSION_OPEN_STATES",
    "AddMethod",
    "ApprovalPolicy",
    "FunctionalPreview",
    "Plugin",
    "PluginApplication",
    "PluginApplicationStatus",
    "PluginDoc",
    "PluginPaymentApplication",
    "PluginPaymentMode",
    "PluginPaymentState",
    "PluginRelease",
    "PluginSubmission",
    "PluginSubmissionState",
    "PluginVersion",
]
