"""VER-4: when reviewers need a test account, the submission is rejected with the catalog
reason `test_account_needed`, and the next submission opens the test-account entry and
requires it. While the entry is closed a test account is not accepted."""

from __future__ import annotations

import pytest

from miniport.core.errors import CoreError
from miniport.releases import selectors, services
from miniport.releases.errors import ReleaseError
from miniport.review import registry
from tests.releases.version_support import (  # noqa: F401
    REVIEWER,
    app_fixture,
    events_of,
    refused,
    reject,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db
ACCOUNT = {"account": "reviewer01", "password": "pass-1234"}


def test_the_entry_is_closed_at_first_and_a_test_account_is_not_accepted(app):
    """VER-4: the first submission has no test-account entry."""
    assert selectors.needs_test_account(app.miniprogram) is False
    version = upload(app)
    refused(lambda: submit(app, version, test_account=ACCOUNT), ReleaseError.TEST_ACCOUNT_NOT_OPEN)


def test_a_rejection_asking_for_a_test_account_opens_the_entry_and_requires_it(app):
    """VER-4: the first submission is rejected, the next one opens the entry."""
    first = reject(submit(app), ["test_account_needed"])
    assert first.test_account_requested and first.reason_keys == ["test_account_needed"]
    assert selectors.needs_test_account(app.miniprogram) is True
    version = upload(app, "1.0.1")
    refused(lambda: submit(app, version), ReleaseError.TEST_ACCOUNT_REQUIRED)
    second = submit(app, version, test_account=ACCOUNT)
    assert second.test_account == {**ACCOUNT, "note": ""}
    assert selectors.needs_test_account(app.miniprogram) is False


def test_the_reviewer_sees_the_test_account(app):
    reject(submit(app), ["test_account_needed"])
    second = submit(app, upload(app, "1.0.1"), test_account=ACCOUNT)
    description = registry.get("code").describe(second.review)
    assert any("reviewer01" in value for _label, value in description.facts)


def test_a_rejection_for_another_reason_keeps_the_entry_closed(app):
    reject(submit(app), ["incomplete_features", "free text"])
    assert selectors.needs_test_account(app.miniprogram) is False
    version = upload(app, "1.0.1")
    refused(lambda: submit(app, version, test_account=ACCOUNT), ReleaseError.TEST_ACCOUNT_NOT_OPEN)


def test_a_withdrawn_submission_leaves_the_entry_open(app):
    """VER-4: withdrawing the submission that carried the account does not close it."""
    reject(submit(app), ["test_account_needed"])
    second = submit(app, upload(app, "1.0.1"), test_account=ACCOUNT)
    services.submission_withdraw(actor=app.developer_actor, submission=second)
    assert selectors.needs_test_account(app.miniprogram) is True


@pytest.mark.parametrize(
    "account",
    ["reviewer01", {"account": "a"}, {"password": "p"}, {"account": " ", "password": "p"}],
)
def test_a_test_account_needs_an_account_and_a_password(app, account):
    reject(submit(app), ["test_account_needed"])
    version = upload(app, "1.0.1")
    refused(lambda: submit(app, version, test_account=account), CoreError.FIELD_INVALID)


def test_the_rejection_event_names_the_catalog_key_and_the_reason(app):
    submission = reject(submit(app), ["test_account_needed"])
    [event] = events_of("code.audit_fail")
    assert event["auditid"] == submission.auditid
    assert event["reason_keys"] == ["test_account_needed"]
    assert event["reason"]  # the catalog's title, not the bare key
    assert event["reason"] != "test_account_needed"
