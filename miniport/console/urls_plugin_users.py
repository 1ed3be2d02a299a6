"""Plugin console routes (users and settings: PLG-9, B-9); included by
`console/urls_plugin.py`."""

from django.urls import path

from miniport.console.views import plugin_users as views

urlpatterns: list = [
    path("plugin/users/", views.plugin_users, name="plugin_users"),
    path("plugin/users/<int:pk>/agree/", views.plugin_users_agree, name="plugin_users_agree"),
    path("plugin/users/<int:pk>/refuse/", views.plugin_users_refuse, name="plugin_users_refuse"),
    path("plugin/users/<int:pk>/delete/", views.plugin_users_delete, name="plugin_users_delete"),
    path("plugin/users/<int:pk>/unbind/", views.plugin_users_unbind, name="plugin_users_unbind"),
    path("plugin/settings/", views.plugin_settings, name="plugin_settings"),
    path("plugin/settings/save/", views.plugin_settings_save, name="plugin_settings_save"),
]
