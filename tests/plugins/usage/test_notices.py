"""PLG-9: a new application reaches the owner's message centre (leading to the plugin's
Users tab) and the answer reaches the applicant's (leading to Plugin management), with
the reason of a refusal."""

from __future__ import annotations

import pytest

from miniport.core import deliveries, events
from miniport.miniprograms.models import Message
from miniport.plugins.usage import services
from tests.plugins.usage.support import admin_of

pytestmark = pytest.mark.django_db


def _deliver():
    events.deliver_pending()
    for delivery_id in deliveries.due_ids():
        deliveries.run(delivery_id)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_plg9_the_owner_is_told_of_a_new_application(released_plugin, provision):
    applicant = provision("personal").miniprogram
    services.plugin_apply(
        actor=admin_of(applicant),
        miniprogram=applicant,
        plugin=released_plugin.plugin,
        reason="地图",
    )
    _deliver()
    message = Message.objects.get(
        miniprogram=released_plugin.miniprogram, kind="plugin.application_submitted"
    )
    assert applicant.appid in message.body and "地图" in message.body
    assert message.link == "/plugin/users/"


def test_plg9_the_applicant_is_told_of_a_refusal_with_its_reason(released_plugin, provision):
    applicant = provision("personal").miniprogram
    services.plugin_apply(
        actor=admin_of(applicant), miniprogram=applicant, plugin=released_plugin.plugin
    )
    services.plugin_application_refuse(
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        appid=applicant.appid,
        reason="类目不符",
    )
    _deliver()
    message = Message.objects.get(miniprogram=applicant, kind="plugin.application_refused")
    assert "类目不符" in message.body and released_plugin.plugin.appid in message.body
    assert message.link == "/settings/plugins/"


def test_b9_an_application_approved_by_policy_is_told_to_the_applicant(released_plugin, provision):
    services.plugin_policy_update(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, approval_policy="auto"
    )
    applicant = provision("personal").miniprogram
    services.plugin_apply(
        actor=admin_of(applicant), miniprogram=applicant, plugin=released_plugin.plugin
    )
    _deliver()
    assert Message.objects.filter(
        miniprogram=applicant, kind="plugin.application_approved"
    ).exists()
