"""Settings › Association settings, and the scan sign-in of the official-account and
enterprise consoles; included by `console/urls.py` in its namespace."""

from django.urls import path

from miniport.console.views import links

urlpatterns: list = [
    path("settings/links/", links.links_page, name="links"),
    path("linked/", links.links_home, name="links_home"),
    path("linked/signin/", links.links_signin, name="links_signin"),
    path("linked/signin/complete/", links.links_signin_complete, name="links_signin_complete"),
    path("linked/signout/", links.links_signout, name="links_signout"),
]
