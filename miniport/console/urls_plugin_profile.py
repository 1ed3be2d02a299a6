"""Plugin console routes (profile: enabling, basic and development information,
PLG-1..PLG-5); included by `console/urls_plugin.py`."""

from django.urls import path

from miniport.console.views import plugin_profile as views

urlpatterns: list = [
    path("plugin/", views.plugin, name="plugin"),
    path("plugin/enable/", views.plugin_enable, name="plugin_enable"),
    path("plugin/basic/edit/", views.plugin_basic_edit, name="plugin_basic_edit"),
    path("plugin/avatar/", views.plugin_avatar, name="plugin_avatar"),
    path("plugin/development/", views.plugin_dev, name="plugin_dev"),
    path("plugin/development/edit/", views.plugin_dev_edit, name="plugin_dev_edit"),
]
