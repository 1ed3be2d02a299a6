"""PLG-1, PLG-3 under concurrency: ten enablings of one mini program at once make one
plugin; ten mini programs enabling plugins of one name at once make one; on file SQLite
and PostgreSQL."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.plugins.development import services
from miniport.plugins.development.errors import PluginDevError
from miniport.plugins.models import Plugin
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.releases.version_support import TOOLS

THREADS = 10


def enable(owner, name):
    try:
        services.plugin_enable(
            actor=owner.admin_actor,
            miniprogram=owner.miniprogram,
            name=name,
            introduction="并发开通的插件",
            service_contact="110",
            category_first_id=TOOLS[0],
            category_second_id=TOOLS[1],
        )
        return "enabled"
    except PlatformError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_plg1_ten_parallel_enablings_of_one_mini_program_make_one_plugin(make_owner):
    assert_shared_database()
    owner = make_owner()
    outcomes = run_concurrently(THREADS, lambda i: enable(owner, f"并发插件{i}"))
    assert outcomes.count("enabled") == 1, outcomes
    assert outcomes.count(PluginDevError.ALREADY_ENABLED) == THREADS - 1, outcomes
    assert Plugin.objects.filter(owner=owner.miniprogram).count() == 1


@pytest.mark.django_db(transaction=True)
def test_plg3_ten_parallel_enablings_of_one_name_make_one_plugin(make_owner):
    assert_shared_database()
    owners = [make_owner() for _ in range(THREADS)]
    outcomes = run_concurrently(THREADS, lambda i: enable(owners[i], "同名插件"))
    assert outcomes.count("enabled") == 1, outcomes
    assert outcomes.count(PluginDevError.NAME_TAKEN) == THREADS - 1, outcomes
    assert Plugin.objects.filter(name="同名插件").count() == 1
    assert len(set(Plugin.objects.values_list("appid", flat=True))) == 1
