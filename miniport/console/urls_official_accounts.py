"""Console pages of `miniport.links.official_accounts`; included by `console/urls.py` in
its namespace: the official-account console (/oa/<appid>/..., `linked_view`) and the
mini program's Settings › Association settings › Official accounts (`console_view`)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from miniport.console.linked_access import LinkedHome, register_home
from miniport.console.views import official_accounts, official_accounts_links
from miniport.links.official_accounts import selectors


def _homes(identity) -> list[LinkedHome]:
    """The official accounts the identity administers, on the linked console's chooser."""
    return [
        LinkedHome(
            kind=str(_("Official account")),
            name=oa.name,
            url=reverse("console:official_account_links", args=[oa.appid]),
        )
        for oa in selectors.official_accounts_of(identity)
    ]


register_home(_homes)

urlpatterns: list = [
    path(
        "oa/<str:appid>/",
        official_accounts.official_account_links,
        name="official_account_links",
    ),
    path(
        "oa/<str:appid>/profile/",
        official_accounts.official_account_profile,
        name="official_account_profile",
    ),
    path(
        "oa/<str:appid>/profile/secret/",
        official_accounts.official_account_secret_reset,
        name="official_account_secret_reset",
    ),
    path(
        "oa/<str:appid>/profile/secret/shown/",
        official_accounts.official_account_secret_shown,
        name="official_account_secret_shown",
    ),
    path(
        "oa/<str:appid>/menu/",
        official_accounts.official_account_menu,
        name="official_account_menu",
    ),
    path(
        "oa/<str:appid>/links/<int:pk>/unlink/",
        official_accounts.official_account_unlink,
        name="official_account_unlink",
    ),
    path(
        "settings/links/official/",
        official_accounts_links.links_official,
        name="links_official",
    ),
    path(
        "settings/links/official/act/",
        official_accounts_links.links_official_act,
        name="links_official_act",
    ),
]
