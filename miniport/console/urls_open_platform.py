"""Console pages of `miniport.links.open_platform`; included by `console/urls.py` in its namespace."""

from django.urls import path

from miniport.console.views import open_platform

urlpatterns: list = [
    path("settings/links/open/", open_platform.links_open, name="links_open"),
    path("settings/links/open/act/", open_platform.links_open_act, name="links_open_act"),
    # before the account's page: "unbind" is no open_appid
    path("settings/links/open/unbind/", open_platform.links_open_unbind, name="links_open_unbind"),
    path(
        "settings/links/open/<str:open_appid>/",
        open_platform.links_open_account,
        name="links_open_account",
    ),
    path(
        "settings/links/open/<str:open_appid>/act/",
        open_platform.links_open_account_act,
        name="links_open_account_act",
    ),
]
