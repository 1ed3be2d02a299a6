"""VER-3: submission for review. 1 to 5 item groups (a page of the package, one of the
approved categories, up to 10 tags of at most 20 characters, a title of at most 32),
description; at most one open review per mini program (85009); the pre-checks and the
diff against the online version are kept with the submission. Each refusal leaves
nothing behind: no submission, no review, no quota used."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.models import PolicyOverride
from miniport.releases import services
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Submission
from miniport.review.models import Review
from tests.releases.version_support import (  # noqa: F401
    TOOLS,
    app_fixture,
    approve,
    events_of,
    item,
    package_bytes,
    refused,
    released,
    submit,
    upload,
)
from tests.releases.zips import app_files, make_zip

pytestmark = pytest.mark.django_db


def test_a_submission_opens_a_code_review_with_its_items_and_audit_id(app):
    """VER-3: category and tags of the key pages, description."""
    version = upload(app)
    submission = submit(app, version, description="please review", feedback="")
    review = Review.objects.get(pk=submission.review_id)
    assert (review.kind, review.target_id, review.appid, review.state) == (
        "code",
        str(submission.pk),
        app.appid,
        "pending",
    )
    assert submission.auditid == review.pk and submission.state == "pending"
    assert submission.audit_status == 2
    assert submission.items == [item(tag="工具 效率")]
    assert submission.description == "please review"
    [event] = events_of("code.submitted")
    assert event["appid"] == app.appid and event["auditid"] == submission.auditid


def test_the_prechecks_and_the_diff_are_kept_with_the_submission(app):
    """B-4: the pre-checks and a diff against the online version, for both sides."""
    released(app, "1.0.0")
    files = app_files(("pages/index/index", "pages/logs/logs", "pages/new/new"))
    files["pages/new/new.js"] = b"wx.request({url: 'https://api.example.com/x'})\n"
    newer = upload(app, "1.1.0", data=make_zip(files))
    submission = submit(app, newer)
    assert submission.diff["first_release"] is False
    assert submission.diff["pages"]["added"] == ["pages/new/new"]
    codes = [finding["code"] for finding in submission.prechecks]
    assert "domain_not_configured" in codes


def test_a_second_open_submission_is_refused_with_85009(app):
    """VER-3 (issue 8 §2): at most one open review per mini program."""
    submit(app)
    other = upload(app, "1.0.1")
    error = refused(lambda: submit(app, other), ReleaseError.AUDIT_ALREADY_OPEN)
    assert error.errcode == 85009


def test_a_delayed_submission_is_still_open(app):
    from tests.releases.version_support import delay

    delay(submit(app), ["more time"])
    other = upload(app, "1.0.1")
    refused(lambda: submit(app, other), ReleaseError.AUDIT_ALREADY_OPEN)


def test_the_database_refuses_a_second_open_submission_even_past_the_service(app):
    """VER-3: the constraint holds when the services are bypassed."""
    first = submit(app)
    with pytest.raises(IntegrityError):
        Submission.objects.create(
            miniprogram=app.miniprogram,
            dev_version=first.dev_version,
            items=[],
            state="delayed",
            submitted_at=first.submitted_at,
        )


def test_submitting_without_a_version_is_refused_with_85086(app):
    refused(lambda: submit(app, None), ReleaseError.MUST_COMMIT_FIRST)
    error = refused(
        lambda: services.version_submit_for_review(
            actor=app.developer_actor, miniprogram=app.miniprogram, dev_version=None, items=[item()]
        ),
        ReleaseError.MUST_COMMIT_FIRST,
    )
    assert error.errcode == 85086


def test_a_version_of_another_mini_program_is_refused(app, provision):
    other = provision("personal").miniprogram
    version = upload(app)
    refused(
        lambda: services.version_submit_for_review(
            actor=Actor.system(), miniprogram=other, dev_version=version, items=[item()]
        ),
        ReleaseError.VERSION_NOT_FOUND,
    )


@pytest.mark.parametrize("count", [0, 6])
def test_item_groups_must_be_one_to_five(app, count):
    """VER-3: at most 5 groups (85023)."""
    version = upload(app)
    refused(lambda: submit(app, version, items=[item()] * count), ReleaseError.ITEM_COUNT_INVALID)


def test_five_item_groups_are_accepted(app):
    submission = submit(app, items=[item()] * 5)
    assert len(submission.items) == 5


@pytest.mark.parametrize("bad", [None, "pages/index/index", {"address": "x"}, 3])
def test_item_groups_that_are_not_a_list_are_refused(app, bad):
    version = upload(app)
    refused(lambda: submit(app, version, items=bad), ReleaseError.ITEM_COUNT_INVALID)


def test_an_empty_item_group_is_refused_with_85010(app):
    version = upload(app)
    refused(lambda: submit(app, version, items=[item(), {}]), ReleaseError.ITEM_EMPTY, item=2)
    refused(lambda: submit(app, version, items=["text"]), ReleaseError.ITEM_EMPTY, item=1)


@pytest.mark.parametrize(
    "tag",
    [" ".join(f"t{n}" for n in range(11)), "x" * 21, ["ok", "y" * 21]],
)
def test_more_than_ten_tags_or_a_tag_over_twenty_characters_is_refused(app, tag):
    """VER-3: up to 10 tags of at most 20 characters (85006)."""
    version = upload(app)
    refused(lambda: submit(app, version, items=[item(tag=tag)]), ReleaseError.TAG_INVALID)


def test_ten_tags_of_twenty_characters_are_accepted(app):
    tags = [f"{n:02d}" + "x" * 18 for n in range(10)]
    submission = submit(app, items=[item(tag=tags)])
    assert submission.items[0]["tag"] == " ".join(tags)


def test_a_title_over_thirty_two_characters_is_refused_with_85011(app):
    version = upload(app)
    refused(lambda: submit(app, version, items=[item(title="题" * 33)]), ReleaseError.TITLE_INVALID)


@pytest.mark.parametrize("address", ["pages/missing/missing", "/pages/../x", "?x=1"])
def test_a_page_not_in_the_package_is_refused_with_85007(app, address):
    version = upload(app)
    refused(
        lambda: submit(app, version, items=[item(address=address)]), ReleaseError.ITEM_PAGE_INVALID
    )


def test_a_group_without_a_page_names_its_category_alone(app):
    """VER-3: the page of a group is optional on the wire (wechat-api 4.5)."""
    group = item()
    del group["address"]
    submission = submit(app, items=[group, item(address="  ")])
    assert [g["address"] for g in submission.items] == ["", ""]


def test_a_page_with_a_query_or_leading_slash_is_the_page(app):
    submission = submit(app, items=[item(address="/pages/logs/logs?from=1")])
    assert submission.items[0]["address"] == "/pages/logs/logs?from=1"


def test_a_group_naming_no_category_is_refused_with_85008_saying_so(app):
    """VER-3: a group with a page and no category is told to choose one, not that its
    category is not approved."""
    version = upload(app)
    error = refused(
        lambda: submit(app, version, items=[item(first_id=None, second_id=None)]),
        ReleaseError.ITEM_CATEGORY_MISSING,
    )
    assert error.errcode == 85008 and error.params == {"item": 1}


@pytest.mark.parametrize(
    "changes",
    [
        {"first_id": 2, "second_id": 201},
        {"first_id": None},
        {"second_id": "x"},
        {"first_id": True},
        # The approved ids in Arabic-Indic digits, which int() would read as the same.
        {
            "first_id": str(TOOLS[0]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
            "second_id": str(TOOLS[1]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        },
    ],
)
def test_a_category_that_is_not_approved_is_refused_with_85008(app, changes):
    """VER-3: the category comes from the mini program's approved categories."""
    version = upload(app)
    refused(
        lambda: submit(app, version, items=[item(**changes)]), ReleaseError.ITEM_CATEGORY_INVALID
    )


def test_ids_given_as_strings_are_read_as_numbers(app):
    submission = submit(app, items=[item(first_id="1", second_id=" 101 ")])
    assert (submission.items[0]["first_id"], submission.items[0]["second_id"]) == (1, 101)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "d" * 2001),
        ("feedback", "f" * 201),
    ],
)
def test_a_too_long_description_or_feedback_is_refused(app, field, value):
    """VER-3, VER-5: data too large (85051)."""
    version = upload(app)
    error = refused(lambda: submit(app, version, **{field: value}), ReleaseError.DATA_TOO_LARGE)
    assert error.field == field


def test_more_screenshots_than_the_policy_allows_are_refused_with_85093(app):
    """VER-3 (wechat-api 4.5): too many preview images or videos."""
    version = upload(app)
    shots = [f"m{n}" for n in range(policy.value("submit.max_screenshots") + 1)]
    error = refused(
        lambda: submit(app, version, screenshots=shots), ReleaseError.SCREENSHOTS_TOO_MANY
    )
    assert error.field == "screenshots" and error.errcode == 85093


def test_a_mini_program_without_a_name_may_not_submit(app):
    type(app.miniprogram).objects.filter(pk=app.miniprogram.pk).update(name=None)
    version = upload(app)
    refused(lambda: submit(app, version), ReleaseError.NOT_INITIALISED)


def test_a_blocking_precheck_refuses_the_submission(app):
    """B-4: privacy-sensitive APIs without a privacy declaration block the submission."""
    files = app_files()
    files["pages/index/index.js"] = b"wx.getLocation({})\nPage({})\n"
    version = upload(app, data=make_zip(files))
    refused(lambda: submit(app, version), ReleaseError.PRECHECK_FAILED)
    submission = submit(app, version, privacy_declared=True)
    assert submission.state == "pending"


def test_the_monthly_submission_quota_is_held_with_85085(app):
    """VER-3 (wechat-api 4.5): the monthly submit quota; a withdrawal does not give it back."""
    PolicyOverride.objects.create(key="submit.per_month", value=1)
    policy.forget_cached()
    first = submit(app)
    services.submission_withdraw(actor=app.developer_actor, submission=first)
    version = upload(app, "1.0.1")
    error = refused(lambda: submit(app, version), ReleaseError.SUBMIT_QUOTA)
    assert error.errcode == 85085
