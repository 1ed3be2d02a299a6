"""Plugin console routes (versions, review and release: PLG-7, PLG-8); included by
`console/urls_plugin.py`."""

from django.urls import path

from miniport.console.views import plugin_versions as views

urlpatterns: list = [
    path("plugin/versions/", views.plugin_versions, name="plugin_versions"),
    path("plugin/versions/upload/", views.plugin_versions_upload, name="plugin_versions_upload"),
    path("plugin/versions/submit/", views.plugin_versions_submit, name="plugin_versions_submit"),
    path(
        "plugin/versions/withdraw/<int:pk>/",
        views.plugin_versions_withdraw,
        name="plugin_versions_withdraw",
    ),
    path(
        "plugin/versions/release/<int:pk>/",
        views.plugin_versions_release,
        name="plugin_versions_release",
    ),
]
