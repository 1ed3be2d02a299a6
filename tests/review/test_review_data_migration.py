"""INF-2 / INF-6: the name and category reviews of before the review machine move onto
it (miniprograms 0004): a real migration run over rows of the old shape, and back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from miniport.core import clock
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram, MiniProgramCategory, PendingName
from miniport.miniprograms.services import profile
from miniport.review.models import Review
from tests.miniprograms.profile_support import actor_of, staff_reviewer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("miniprograms", "0003_logincode_user_created_index"), ("review", "0001_initial")]
AFTER = [("miniprograms", "0004_reviews_on_the_review_machine")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_old_shape():
    """The schema before the move; the latest schema again afterwards, whatever happens."""
    yield migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def apps_with_old_reviews(provision):
    personal = provision("personal", name="旧名字甲").miniprogram
    company = provision("enterprise", name="旧名字乙").miniprogram
    return personal, company


def old_rows(old_apps, personal, company):
    NameReview = old_apps.get_model("miniprograms", "NameReview")
    Category = old_apps.get_model("miniprograms", "MiniProgramCategory")
    now = clock.now()
    rows = {
        "decided": NameReview.objects.create(
            miniprogram_id=company.pk,
            requested_name="被拒的名字",
            status="rejected",
            reason="涉嫌侵权",
            created_at=now - timedelta(days=3),
            decided_at=now - timedelta(days=2),
            decided_by="ops@miniport.example",
        ),
        "pending": NameReview.objects.create(
            miniprogram_id=personal.pk,
            requested_name="等待中的名字",
            status="pending",
            material={"charged": None, "files": {}, "media": {}},
            created_at=now - timedelta(hours=5),
        ),
        "reviewing": Category.objects.create(
            miniprogram_id=company.pk,
            first_id=9,
            second_id=901,
            first_name="金融业",
            second_name="银行",
            status="reviewing",
            certificates=[{"key": "金融许可证", "value": "m1", "file": "kept/x.jpg"}],
            created_at=now - timedelta(hours=1),
        ),
        "plain": Category.objects.create(
            miniprogram_id=company.pk,
            first_id=1,
            second_id=101,
            first_name="教育",
            second_name="学历教育",
            status="approved",
            created_at=now,
            decided_at=now,
        ),
    }
    return rows


def test_the_migration_moves_old_name_and_category_reviews_onto_the_machine(
    apps_with_old_reviews, back_to_the_old_shape
):
    personal, company = apps_with_old_reviews
    rows = old_rows(back_to_the_old_shape, personal, company)
    migrate(AFTER)
    # The models below are today's: the later migrations of their tables too.
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # Name reviews keep their ids: setnickname gave them out as audit_id.
    pending = Review.objects.get(pk=rows["pending"].pk)
    assert (pending.kind, pending.target_id, pending.state, pending.appid) == (
        "name",
        str(personal.pk),
        "pending",
        personal.appid,
    )
    assert pending.material["requested_name"] == "等待中的名字"
    assert PendingName.objects.get(miniprogram=personal).review == pending
    decided = Review.objects.get(pk=rows["decided"].pk)
    assert (decided.state, decided.reasons, decided.decided_by) == (
        "rejected",
        ["涉嫌侵权"],
        "ops@miniport.example",
    )
    assert list(decided.history.values_list("action", flat=True)) == ["open", "reject"]

    # "reviewing" is gone: the category waits as "pending", with an open review.
    category = MiniProgramCategory.objects.get(pk=rows["reviewing"].pk)
    assert category.status == "pending"
    review = Review.objects.get(kind="category", target_id=str(category.pk))
    assert (review.state, review.appid) == ("pending", company.appid)
    assert review.material["qualifications"] == ["金融许可证"]
    assert not Review.objects.filter(kind="category", target_id=str(rows["plain"].pk)).exists()

    # The machine carries on from there: new ids after the moved ones, decisions apply.
    with pytest.raises(PlatformError) as caught:
        profile.name_request(actor=actor_of(personal), miniprogram=personal, name="又一个名字")
    assert caught.value.code == MiniProgramError.NAME_REVIEW_PENDING
    profile.name_review_approve(actor=staff_reviewer(), review=pending)
    assert MiniProgram.objects.get(pk=personal.pk).name == "等待中的名字"
    later = profile.name_request(actor=actor_of(personal), miniprogram=personal, name="第三个名字")
    assert later.pk > max(Review.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_the_migration_runs_backwards_to_the_old_rows(apps_with_old_reviews, back_to_the_old_shape):
    personal, company = apps_with_old_reviews
    rows = old_rows(back_to_the_old_shape, personal, company)
    migrate(AFTER)
    old_apps = migrate(BEFORE)
    NameReview = old_apps.get_model("miniprograms", "NameReview")
    Category = old_apps.get_model("miniprograms", "MiniProgramCategory")
    assert sorted(NameReview.objects.values_list("id", "requested_name", "status", "reason")) == [
        (rows["decided"].pk, "被拒的名字", "rejected", "涉嫌侵权"),
        (rows["pending"].pk, "等待中的名字", "pending", ""),
    ]
    assert Category.objects.get(pk=rows["reviewing"].pk).status == "reviewing"
