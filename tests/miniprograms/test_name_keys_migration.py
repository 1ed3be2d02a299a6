"""INF-2: miniprograms 0009 gives every held name its key (NFKC, case folded), unique in
the database; of two names an older database holds that are the same up to width and
case, the first keeps the key and the second none (the services still compare it by
its name). Runs as a real migration over rows of the shape before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import profile

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("miniprograms", "0008_seal_stable_token_text")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def programs(provision):
    """Three mini programs, made while the schema is today's."""
    return [provision("personal", name=name).miniprogram for name in ("Mini 书店", "乙", "丙")]


@pytest.fixture
def before_the_keys(programs):
    yield migrate(BEFORE)
    migrate(latest())


def test_the_migration_keys_held_names_and_leaves_a_look_alike_without_one(
    programs, before_the_keys
):
    first, second, third = programs
    old = before_the_keys.get_model("miniprograms", "MiniProgram")
    old.objects.filter(pk=second.pk).update(name="ＭＩＮＩ 书店")
    old.objects.filter(pk=third.pk).update(name=None)
    migrate(latest())
    keys = dict(MiniProgram.objects.values_list("pk", "name_key"))
    assert keys[first.pk] == "mini 书店"
    assert keys[second.pk] is None
    assert keys[third.pk] is None
    # The one without a key is still found by its name.
    assert profile.name_taken("ＭＩＮＩ 书店", exclude=first)
