"""The plugin's own console pages (PLG-3..PLG-10), under the owner mini program's
"Mini program plugin"; included by `console/urls.py` in its namespace. Each part of the
plugin's console keeps its routes in its own module."""

from django.urls import include, path

urlpatterns: list = [
    # Enabling, basic information, development information (PLG-1..PLG-5)
    path("", include("miniport.console.urls_plugin_profile")),
    # Versions, review and release (PLG-7, PLG-8)
    path("", include("miniport.console.urls_plugin_versions")),
    # Documentation and payment (PLG-6, PLG-10)
    path("", include("miniport.console.urls_plugin_docs")),
    # Users and the application policy (PLG-9, B-9)
    path("", include("miniport.console.urls_plugin_users")),
]
