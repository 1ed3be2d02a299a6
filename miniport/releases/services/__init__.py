"""The releases domain's actions (VER-1..VER-7, B-5), split by meaning. Every action is
keyword-only with an explicit actor, runs in one transaction, records an audit row and
emits an event; refusals are `PlatformError(ReleaseError.X)` listed in each module."""

from .experience import experience_set
from .release import (
    gray_release,
    gray_revert,
    gray_to_cancel,
    releasable,
    release_publish,
    release_rollback,
    rollback_target,
    rollback_targets,
    visit_status_set,
)
from .submission import (
    CODE_KIND,
    TEST_ACCOUNT_REASON,
    needs_test_account,
    submission_quota,
    submission_speed_up,
    submission_withdraw,
    version_submit_for_review,
    withdrawal_target,
)
from .upload import header_text, version_upload

__all__ = [
    "CODE_KIND",
    "TEST_ACCOUNT_REASON",
    "experience_set",
    "gray_release",
    "gray_revert",
    "gray_to_cancel",
    "header_text",
    "releasable",
    "release_publish",
    "release_rollback",
    "rollback_target",
    "rollback_targets",
    "submission_quota",
    "submission_speed_up",
    "submission_withdraw",
    "needs_test_account",
    "version_submit_for_review",
    "version_upload",
    "visit_status_set",
    "withdrawal_target",
]
