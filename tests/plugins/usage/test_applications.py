"""PLG-9, PLG-11, B-9: applying to use a plugin, the owner's answers and policies,
deletion and unbinding, each refusal with its errcode and nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core import clock
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import OutboxEvent
from miniport.plugins.models import AddMethod, ApprovalPolicy, PluginApplication
from miniport.plugins.usage import selectors, services
from miniport.plugins.usage.errors import UsageError
from tests.plugins.makers import release_plugin_version
from tests.plugins.usage.support import admin_of, snapshot

pytestmark = pytest.mark.django_db
S = selectors.S


@pytest.fixture
def applicant(provision):
    return provision("personal").miniprogram


def apply(applicant, plugin, reason="想用"):
    return services.plugin_apply(
        actor=admin_of(applicant), miniprogram=applicant, plugin=plugin, reason=reason
    )


def refused(code, call, *args, **kwargs):
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    assert snapshot() == before
    return caught.value


def test_plg11_a_personal_mini_program_applies_and_waits_for_the_owner(released_plugin, applicant):
    application = apply(applicant, released_plugin.plugin, "需要地图")
    assert application.status == S.APPLYING and application.reason == "需要地图"
    assert not application.decided_by_policy
    kinds = set(OutboxEvent.objects.values_list("kind", "appid"))
    assert ("plugin.application_submitted", released_plugin.appid) in kinds


def test_plg11_an_unknown_plugin_is_refused_89239(applicant):
    error = refused(UsageError.PLUGIN_NOT_FOUND, apply, applicant, None)
    assert error.code.errcode == 89239


def test_plg11_a_plugin_without_released_version_cannot_be_applied_for_89236(
    make_plugin, applicant
):
    plugin = make_plugin().plugin
    error = refused(UsageError.NOT_APPLIABLE, apply, applicant, plugin)
    assert error.code.errcode == 89236


def test_plg11_a_mini_program_cannot_apply_for_its_own_plugin_89236(released_plugin):
    owner_mp = released_plugin.miniprogram
    error = refused(UsageError.OWN_PLUGIN, apply, owner_mp, released_plugin.plugin)
    assert error.code.errcode == 89236


def test_plg11_applying_twice_is_refused_89237(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    refused(UsageError.ALREADY_ADDED, apply, applicant, released_plugin.plugin)


def test_plg11_an_added_plugin_is_refused_89237(released_plugin, applicant):
    application = apply(applicant, released_plugin.plugin)
    services.plugin_application_agree(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, application=application
    )
    refused(UsageError.ALREADY_ADDED, apply, applicant, released_plugin.plugin)


def test_plg11_a_plugin_added_by_appid_only_is_still_appliable(make_plugin, applicant):
    plugin = make_plugin(add_method=AddMethod.APPID).plugin
    release_plugin_version(plugin)
    assert apply(applicant, plugin).status == S.APPLYING


def test_plg11_a_too_long_reason_is_refused_naming_the_field(released_plugin, applicant):
    error = refused(CoreError.FIELD_INVALID, apply, applicant, released_plugin.plugin, "长" * 501)
    assert error.field == "reason"


def test_plg11_the_month_limit_of_applications_is_89238(
    released_plugin, make_plugin, applicant, settings
):
    from miniport.core import policy
    from miniport.core.models import PolicyOverride

    PolicyOverride.objects.create(key="plugin.applications_per_month", value=1)
    policy.forget_cached()
    other = make_plugin().plugin
    release_plugin_version(other)
    apply(applicant, released_plugin.plugin)
    error = refused(UsageError.APPLY_LIMIT, apply, applicant, other)
    assert error.code.errcode == 89238


def test_plg11_the_limit_of_plugins_in_use_is_89238(released_plugin, make_plugin, applicant):
    from miniport.core import policy
    from miniport.core.models import PolicyOverride

    PolicyOverride.objects.create(key="plugin.max_in_use", value=1)
    policy.forget_cached()
    other = make_plugin().plugin
    release_plugin_version(other)
    apply(applicant, released_plugin.plugin)
    error = refused(UsageError.IN_USE_LIMIT, apply, applicant, other)
    assert error.code.errcode == 89238


def test_b9_manual_policy_leaves_the_application_applying(released_plugin, applicant):
    assert released_plugin.plugin.approval_policy == ApprovalPolicy.MANUAL
    assert apply(applicant, released_plugin.plugin).status == S.APPLYING


def test_b9_auto_policy_approves_at_once_and_tells_the_applicant(released_plugin, applicant):
    services.plugin_policy_update(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, approval_policy="auto"
    )
    application = apply(applicant, released_plugin.plugin)
    assert application.status == S.APPROVED and application.decided_by_policy
    assert OutboxEvent.objects.filter(
        kind="plugin.application_approved", appid=applicant.appid
    ).exists()


def test_b9_allowlist_approves_listed_appids_and_leaves_others_manual(
    released_plugin, applicant, provision
):
    other = provision("enterprise").miniprogram
    services.plugin_policy_update(
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        approval_policy="allowlist",
        allowlist=f"{applicant.appid}\n",
    )
    listed = apply(applicant, released_plugin.plugin)
    unlisted = apply(other, released_plugin.plugin)
    assert (listed.status, listed.decided_by_policy) == (S.APPROVED, True)
    assert (unlisted.status, unlisted.decided_by_policy) == (S.APPLYING, False)


def test_b9_an_allowlist_with_a_bad_appid_is_refused_naming_it(released_plugin):
    plugin = released_plugin.plugin
    with pytest.raises(PlatformError) as caught:
        services.plugin_policy_update(
            actor=released_plugin.admin_actor,
            plugin=plugin,
            approval_policy="allowlist",
            allowlist="wx123, nonsense",
        )
    assert caught.value.code == UsageError.ALLOWLIST_INVALID
    assert "wx123" in caught.value.message("en")
    plugin.refresh_from_db()
    assert plugin.approval_policy == ApprovalPolicy.MANUAL and plugin.allowlist == []


def test_b9_an_empty_allowlist_policy_is_refused(released_plugin):
    with pytest.raises(PlatformError) as caught:
        services.plugin_policy_update(
            actor=released_plugin.admin_actor,
            plugin=released_plugin.plugin,
            approval_policy="allowlist",
            allowlist="",
        )
    assert caught.value.code == CoreError.FIELD_REQUIRED and caught.value.field == "allowlist"


def test_plg9_the_owner_agrees_and_the_applicant_is_told(released_plugin, applicant):
    application = apply(applicant, released_plugin.plugin)
    done = services.plugin_application_agree(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, appid=applicant.appid
    )
    assert done.pk == application.pk and done.status == S.APPROVED and done.decided_at
    assert OutboxEvent.objects.filter(
        kind="plugin.application_approved", appid=applicant.appid
    ).exists()


def test_plg9_the_owner_refuses_with_a_reason(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    done = services.plugin_application_refuse(
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        appid=applicant.appid,
        reason="类目不符",
    )
    assert (done.status, done.refuse_reason) == (S.REFUSED, "类目不符")
    event = OutboxEvent.objects.get(kind="plugin.application_refused")
    assert event.payload["reason"] == "类目不符"


def test_plg9_only_an_applying_application_is_answered_89240(released_plugin, applicant):
    application = apply(applicant, released_plugin.plugin)
    services.plugin_application_agree(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, application=application
    )
    error = refused(
        UsageError.NOT_APPLYING,
        services.plugin_application_refuse,
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        appid=applicant.appid,
    )
    assert error.code.errcode == 89240


def test_plg9_an_appid_without_application_is_89242(released_plugin, applicant):
    refused(
        UsageError.NOT_IN_APPLY_LIST,
        services.plugin_application_agree,
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        appid=applicant.appid,
    )


def test_plg9_an_unanswered_application_times_out_after_24_hours(released_plugin, applicant):
    application = apply(applicant, released_plugin.plugin)
    made = application.created_at
    with time_machine.travel(made + timedelta(hours=23, minutes=59), tick=False):
        assert selectors.effective_status(application) == S.APPLYING
        assert selectors.age(application) == timedelta(hours=23, minutes=59)
    with time_machine.travel(made + timedelta(hours=24, seconds=1), tick=False):
        assert selectors.effective_status(application) == S.EXPIRED
        assert selectors.plugin_users(released_plugin.plugin).get().effective == S.EXPIRED
        # Computed when read: the row itself is still applying.
        assert PluginApplication.objects.get().status == S.APPLYING


def test_plg9_a_timed_out_application_cannot_be_agreed_89240(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    with time_machine.travel(clock.now() + timedelta(hours=25), tick=False):
        refused(
            UsageError.NOT_APPLYING,
            services.plugin_application_agree,
            actor=released_plugin.admin_actor,
            plugin=released_plugin.plugin,
            appid=applicant.appid,
        )


def test_plg9_after_a_timeout_a_new_application_closes_the_stale_one(released_plugin, applicant):
    first = apply(applicant, released_plugin.plugin)
    with time_machine.travel(clock.now() + timedelta(hours=25), tick=False):
        second = apply(applicant, released_plugin.plugin)
        first.refresh_from_db()
        assert first.status == S.EXPIRED and first.ended_at is not None
        assert second.status == S.APPLYING


def test_plg9_answer_hours_is_a_policy_row(released_plugin, applicant):
    from miniport.core import policy
    from miniport.core.models import PolicyOverride

    PolicyOverride.objects.create(key="plugin.application_answer_hours", value=2)
    policy.forget_cached()
    application = apply(applicant, released_plugin.plugin)
    with time_machine.travel(clock.now() + timedelta(hours=2, seconds=1), tick=False):
        assert selectors.effective_status(application) == S.EXPIRED


def test_plg9_refused_and_timed_out_applications_are_deleted(released_plugin, applicant, provision):
    other = provision("enterprise").miniprogram
    apply(applicant, released_plugin.plugin)
    services.plugin_application_refuse(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, appid=applicant.appid
    )
    apply(other, released_plugin.plugin)
    with time_machine.travel(clock.now() + timedelta(hours=25), tick=False):
        count = services.plugin_application_delete(
            actor=released_plugin.admin_actor, plugin=released_plugin.plugin
        )
    assert count == 2 and PluginApplication.objects.count() == 0


def test_plg9_a_pending_application_cannot_be_deleted_89243(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    refused(
        UsageError.PENDING_NOT_DELETABLE,
        services.plugin_application_delete,
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        appid=applicant.appid,
    )


def test_plg9_an_approved_application_cannot_be_deleted_89241(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    services.plugin_application_agree(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, appid=applicant.appid
    )
    refused(
        UsageError.NOT_DELETABLE,
        services.plugin_application_delete,
        actor=released_plugin.admin_actor,
        plugin=released_plugin.plugin,
        appid=applicant.appid,
    )


def test_plg11_the_user_unbinds_and_may_apply_again(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    services.plugin_application_agree(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, appid=applicant.appid
    )
    gone = services.plugin_unbind(
        actor=admin_of(applicant), miniprogram=applicant, plugin=released_plugin.plugin
    )
    assert gone.status == S.UNBOUND and gone.ended_at is not None
    assert apply(applicant, released_plugin.plugin).status == S.APPLYING


def test_plg9_the_owner_unbinds_a_user(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    services.plugin_application_agree(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, appid=applicant.appid
    )
    gone = services.plugin_unbind(
        actor=released_plugin.admin_actor,
        miniprogram=applicant,
        plugin=released_plugin.plugin,
        by_owner=True,
    )
    assert gone.status == S.UNBOUND
    assert not selectors.approved(released_plugin.plugin, applicant)


def test_plg11_unbinding_a_plugin_not_added_is_89242(released_plugin, applicant):
    error = refused(
        UsageError.NOT_ADDED,
        services.plugin_unbind,
        actor=admin_of(applicant),
        miniprogram=applicant,
        plugin=released_plugin.plugin,
    )
    assert error.code.errcode == 89242


def test_plg11_the_used_list_shows_one_row_per_plugin_with_its_status(released_plugin, applicant):
    apply(applicant, released_plugin.plugin)
    services.plugin_application_refuse(
        actor=released_plugin.admin_actor, plugin=released_plugin.plugin, appid=applicant.appid
    )
    apply(applicant, released_plugin.plugin)
    rows = selectors.used_plugins(applicant)
    assert [row.effective for row in rows] == [S.APPLYING]
