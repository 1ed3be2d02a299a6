"""Settings > Third-party services > Plugin management of a mini program that uses
plugins (PLG-11); included by `console/urls.py` in its namespace."""

from django.urls import path

from miniport.console.views import plugins

urlpatterns: list = [
    path("settings/plugins/", plugins.plugins_page, name="plugins"),
    path("settings/plugins/apply/", plugins.plugins_apply, name="plugins_apply"),
    path("settings/plugins/unbind/", plugins.plugins_unbind, name="plugins_unbind"),
]
