"""B-4 / VER-5: the review desk for automation. `miniport review list --json` prints one JSON
array over every kind; `miniport review decide ID` approves, rejects (with catalog keys or
free text) or delays through the review machine's services. Refusals exit 1 with one line
on stderr and change nothing; bad arguments exit 2.

The command runs in this process against the test database (the same `main()` the console
script calls), so a review made by the domain's services is there to decide."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from miniport.accounts.models import Account, AccountKind
from miniport.cli import main
from miniport.core import clock
from miniport.core.actors import Actor
from miniport.miniprograms.models import PendingName
from miniport.miniprograms.services import profile
from miniport.review import registry, services
from miniport.review.models import Review, ReviewHistory
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    fresh,
    personal_app_fixture,
)

STAFF_EMAIL = "desk-cli@miniport.example"


@pytest.fixture
def name_review(personal_app):
    return profile.name_request(
        actor=actor_of(personal_app), miniprogram=personal_app, name="命令行审核的名字"
    )


@pytest.fixture
def staff(db):
    return Account.objects.create_user(
        STAFF_EMAIL, "a-long-password-1", is_staff=True, is_active=True, kind=AccountKind.STAFF
    )


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit:
        status = exit.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    return int(status or 0), out, err


def state_of(review: Review) -> tuple:
    review = Review.objects.get(pk=review.pk)
    return (review.state, review.reasons, review.decided_by, review.history.count())


def assert_refused(result: tuple[int, str, str], status: int, words: str = "") -> None:
    code, out, err = result
    assert code == status, err
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("miniport: error: ")
    assert words in err


def test_review_list_prints_one_json_array_of_open_reviews(capsys, name_review, personal_app):
    """B-4: each row has id, kind, appid, state, submitted_at, title, waiting_seconds and
    claimed_by; the waiting time is read from the clock."""
    with time_machine.travel(clock.now() + timedelta(hours=2), tick=False):
        status, out, err = run(capsys, "review", "list", "--json")
    assert status == 0, err
    assert len(out.splitlines()) == 1
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) == 1
    row = rows[0]
    assert {"id", "kind", "appid", "state", "submitted_at", "title", "waiting_seconds"} <= set(row)
    assert row["id"] == name_review.pk
    assert row["kind"] == "name"
    assert row["appid"] == personal_app.appid
    assert row["state"] == "pending"
    assert row["submitted_at"] == name_review.submitted_at.isoformat()
    assert "命令行审核的名字" in row["title"]
    assert 2 * 3600 <= row["waiting_seconds"] < 2 * 3600 + 60
    assert row["claimed_by"] is None


def test_review_list_filters_by_kind_appid_and_state(capsys, name_review, personal_app):
    assert json.loads(run(capsys, "review", "list", "--json", "--kind", "category")[1]) == []
    assert json.loads(run(capsys, "review", "list", "--json", "--appid", "wx404")[1]) == []
    assert json.loads(run(capsys, "review", "list", "--json", "--state", "approved")[1]) == []
    all_rows = json.loads(run(capsys, "review", "list", "--json", "--state", "all")[1])
    assert [row["id"] for row in all_rows] == [name_review.pk]


def test_review_list_without_reviews_is_an_empty_array(capsys, db):
    status, out, _ = run(capsys, "review", "list", "--json")
    assert (status, json.loads(out)) == (0, [])


def test_decide_approve_applies_a_name_review(capsys, name_review, personal_app):
    """B-4: the CLI approves through the review machine; the name kind applies it."""
    status, out, err = run(capsys, "review", "decide", str(name_review.pk), "--approve", "--json")
    assert status == 0, err
    row = json.loads(out)
    assert (row["id"], row["state"], row["decided_by"]) == (
        name_review.pk,
        "approved",
        "miniport cli",
    )
    assert fresh(personal_app).name == "命令行审核的名字"
    assert not PendingName.objects.filter(review=name_review).exists()
    listed = json.loads(run(capsys, "review", "list", "--json")[1])
    assert listed == []


def test_decide_reject_stores_catalog_keys_and_free_text(capsys, name_review, personal_app):
    """VER-5: a reason is a catalog key (stored as the key) or free text."""
    before = fresh(personal_app).name
    status, out, err = run(
        capsys,
        "review",
        "decide",
        str(name_review.pk),
        "--reject",
        "--reason",
        "suspected_infringement",
        "--reason",
        "名称与品牌 “某某” 相近",
    )
    assert status == 0, err
    assert "rejected" in out
    review = Review.objects.get(pk=name_review.pk)
    assert review.state == "rejected"
    assert review.reasons == ["suspected_infringement", "名称与品牌 “某某” 相近"]
    assert fresh(personal_app).name == before


def test_decide_reject_with_an_unknown_catalog_key_is_refused(capsys, name_review):
    """VER-5: a text shaped like a key that is not one is refused, nothing changes."""
    before = state_of(name_review)
    result = run(
        capsys, "review", "decide", str(name_review.pk), "--reject", "--reason", "no_such_reason"
    )
    assert_refused(result, 1, "no_such_reason")
    assert state_of(name_review) == before


def test_decide_an_unknown_review_exits_1(capsys, db):
    assert_refused(run(capsys, "review", "decide", "999999", "--approve"), 1, "not found")


def test_decide_a_decided_review_exits_1_and_changes_nothing(capsys, name_review):
    assert run(capsys, "review", "decide", str(name_review.pk), "--approve")[0] == 0
    before = state_of(name_review)
    result = run(capsys, "review", "decide", str(name_review.pk), "--reject", "--reason", "late")
    assert_refused(result, 1, "approved")
    assert state_of(name_review) == before


def test_a_review_that_cannot_be_delayed_is_refused(capsys, name_review):
    """Only kinds that take a delay (code reviews) may be delayed; names may not."""
    before = state_of(name_review)
    result = run(
        capsys, "review", "decide", str(name_review.pk), "--delay", "--reason", "需要更多时间"
    )
    assert_refused(result, 1, "delay")
    assert state_of(name_review) == before


def test_a_staff_member_of_the_mini_program_may_not_decide(capsys, name_review, personal_app):
    """B-4: a reviewer never reviews a mini program he belongs to; `--as` names the staff
    account deciding, and the review machine's member check runs for it."""
    owner = Account.objects.get(pk=personal_app.account_id)
    Account.objects.filter(pk=owner.pk).update(is_staff=True)
    before = state_of(name_review)
    result = run(capsys, "review", "decide", str(name_review.pk), "--approve", "--as", owner.email)
    assert_refused(result, 1, "member")
    assert state_of(name_review) == before


def test_a_staff_account_decides_under_its_own_name(capsys, name_review, staff):
    status, out, err = run(
        capsys, "review", "decide", str(name_review.pk), "--approve", "--as", STAFF_EMAIL, "--json"
    )
    assert status == 0, err
    assert json.loads(out)["decided_by"] == STAFF_EMAIL
    assert ReviewHistory.objects.filter(review=name_review, action="approve").count() == 1


def test_an_account_that_is_not_staff_may_not_decide(capsys, name_review, personal_app):
    owner = Account.objects.get(pk=personal_app.account_id)
    before = state_of(name_review)
    result = run(capsys, "review", "decide", str(name_review.pk), "--approve", "--as", owner.email)
    assert_refused(result, 1, "reviewers")
    assert state_of(name_review) == before


def test_an_unknown_acting_account_is_refused(capsys, name_review):
    before = state_of(name_review)
    result = run(
        capsys, "review", "decide", str(name_review.pk), "--approve", "--as", "nobody@x.example"
    )
    assert_refused(result, 1, "as: not found")
    assert state_of(name_review) == before


@pytest.mark.parametrize(
    "args",
    [
        ("review",),
        ("review", "decide"),
        ("review", "decide", "12"),
        ("review", "decide", "abc", "--approve"),
        ("review", "decide", "0", "--approve"),
        ("review", "decide", "12", "--approve", "--reject"),
        ("review", "decide", "12", "--reject"),
        ("review", "decide", "12", "--reject", "--reason", "  "),
        ("review", "decide", "12", "--delay"),
        ("review", "decide", "12", "--approve", "--reason", "why"),
        ("review", "list", "--state", "sleeping"),
    ],
)
def test_bad_arguments_exit_2_and_change_nothing(capsys, name_review, args):
    before = state_of(name_review)
    assert_refused(run(capsys, *args), 2)
    assert state_of(name_review) == before


DELAYABLE = "cli.delayable"


@pytest.fixture
def delayable_review(db):
    """A review of a throw-away kind that takes a delay, as code reviews do."""
    delayed: list[list[str]] = []
    kind = registry.Kind(
        key=DELAYABLE,
        label="delayable thing",
        describe=lambda review: registry.Description(title=f"thing {review.target_id}"),
        approve=lambda review, actor: None,
        reject=lambda review, actor, reasons: None,
        is_member=lambda review, actor: False,
        delay=lambda review, actor, reasons: delayed.append(reasons),
    )
    registry.register(kind)
    review = services.review_open(
        actor=Actor("account", "1", "dev"), kind=DELAYABLE, target_id="t-1", appid="wx1"
    )
    yield review, delayed
    registry.unregister(DELAYABLE)


def test_decide_delay_keeps_the_review_open_with_its_reasons(capsys, delayable_review):
    """B-4: a delayed review stays in the open queue with its reasons, and is decided
    later."""
    delayable_review, delayed = delayable_review
    status, out, err = run(
        capsys,
        "review",
        "decide",
        str(delayable_review.pk),
        "--delay",
        "--reason",
        "需要进一步核实资质",
        "--json",
    )
    assert status == 0, err
    assert json.loads(out)["state"] == "delayed"
    assert delayed == [["需要进一步核实资质"]]
    listed = json.loads(run(capsys, "review", "list", "--json")[1])
    assert [(row["id"], row["state"], row["reasons"]) for row in listed] == [
        (delayable_review.pk, "delayed", ["需要进一步核实资质"])
    ]
    assert run(capsys, "review", "decide", str(delayable_review.pk), "--approve")[0] == 0
    assert Review.objects.get(pk=delayable_review.pk).state == "approved"


def test_a_review_claimed_by_another_reviewer_is_refused(capsys, delayable_review):
    """B-4: the desk's claims hold for the command line too."""
    delayable_review, _ = delayable_review
    services.review_claim(
        actor=Actor("staff", "55", "claimer@miniport.example"), review=delayable_review
    )
    listed = json.loads(run(capsys, "review", "list", "--json")[1])
    assert listed[0]["claimed_by"] == "claimer@miniport.example"
    before = state_of(delayable_review)
    result = run(capsys, "review", "decide", str(delayable_review.pk), "--approve")
    assert_refused(result, 1, "claimer@miniport.example")
    assert state_of(delayable_review) == before


def test_the_console_script_answers_the_review_commands(cli):
    """The installed `miniport` script has the review group: an empty queue is `[]`, an
    unknown review is refused in one line."""
    listed = cli("review", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []
    refused = cli("review", "decide", "7", "--approve")
    assert refused.returncode == 1
    assert refused.stderr == "miniport: error: id: not found\n"


def test_review_reasons_prints_the_rejection_catalog(capsys, db):
    """VER-5: the catalog's keys are what `--reject --reason` takes."""
    status, out, err = run(capsys, "review", "reasons", "--json")
    assert status == 0, err
    reasons = json.loads(out)
    assert "test_account_needed" in [item["key"] for item in reasons]
    assert {"key", "title_zh", "title_en", "guidance_zh", "guidance_en"} == set(reasons[0])
