"""The plugin fixtures make what the parts' tests stand on."""

from miniport.plugins.models import PluginApplication, PluginRelease
from tests.plugins.makers import approved_application


def test_a_released_plugin_has_its_version_online_and_can_be_approved_for_another_app(
    released_plugin, make_owner
):
    user = make_owner()
    assert PluginRelease.objects.get(plugin=released_plugin.plugin).user_version == "1.0.0"
    approved_application(released_plugin.plugin, user.miniprogram)
    assert PluginApplication.objects.filter(miniprogram=user.miniprogram).count() == 1
