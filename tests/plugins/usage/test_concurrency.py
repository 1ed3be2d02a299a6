"""PLG-11 under concurrency: 30 applications made at once by real threads end exactly at
the limit (the month's applications, the plugins in use), on file SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from miniport.plugins.models import PluginApplication
from miniport.plugins.usage import services
from miniport.plugins.usage.errors import UsageError
from tests.plugins.makers import release_plugin_version
from tests.plugins.usage.support import admin_of

THREADS = 30


def apply_in_parallel(applicant, plugins):
    barrier = threading.Barrier(len(plugins))
    outcomes: list = [None] * len(plugins)

    def run(index, plugin):
        try:
            barrier.wait(timeout=20)
            services.plugin_apply(
                actor=admin_of(applicant), miniprogram=applicant, plugin=plugin, reason="并发"
            )
            outcomes[index] = "applied"
        except PlatformError as error:
            outcomes[index] = error.code
        except Exception as error:  # noqa: BLE001 - reported by the assertion
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(plugins)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _plugins(make_plugin, count):
    plugins = []
    for _ in range(count):
        plugin = make_plugin().plugin
        release_plugin_version(plugin)
        plugins.append(plugin)
    return plugins


def _limit(key, value):
    PolicyOverride.objects.create(key=key, value=value)
    policy.forget_cached()


@pytest.mark.django_db(transaction=True)
def test_plg11_thirty_parallel_applications_stop_exactly_at_the_month_limit(make_plugin, provision):
    _limit("plugin.applications_per_month", 7)
    applicant = provision("personal").miniprogram
    outcomes = apply_in_parallel(applicant, _plugins(make_plugin, THREADS))
    assert outcomes.count("applied") == 7
    assert outcomes.count(UsageError.APPLY_LIMIT) == THREADS - 7, outcomes
    assert PluginApplication.objects.filter(miniprogram=applicant).count() == 7


@pytest.mark.django_db(transaction=True)
def test_plg11_thirty_parallel_applications_stop_exactly_at_the_in_use_limit(
    make_plugin, provision
):
    _limit("plugin.max_in_use", 5)
    applicant = provision("personal").miniprogram
    outcomes = apply_in_parallel(applicant, _plugins(make_plugin, THREADS))
    assert outcomes.count("applied") == 5
    assert outcomes.count(UsageError.IN_USE_LIMIT) == THREADS - 5, outcomes
    assert PluginApplication.objects.filter(miniprogram=applicant).count() == 5


@pytest.mark.django_db(transaction=True)
def test_plg11_thirty_parallel_applications_for_one_plugin_make_one(released_plugin, provision):
    applicant = provision("personal").miniprogram
    outcomes = apply_in_parallel(applicant, [released_plugin.plugin] * THREADS)
    assert outcomes.count("applied") == 1
    assert outcomes.count(UsageError.ALREADY_ADDED) == THREADS - 1, outcomes
    assert PluginApplication.objects.count() == 1
