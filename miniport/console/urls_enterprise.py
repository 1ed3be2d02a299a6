"""Console pages of `miniport.links.enterprise`; included by `console/urls.py` in its
namespace: the enterprise console (/work/<corp_id>/..., `linked_view`) and the mini
program's Settings › Association settings › Enterprises (`console_view`)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from miniport.console.linked_access import LinkedHome, register_home
from miniport.console.views import enterprise, enterprise_links
from miniport.links.enterprise import selectors


def _homes(identity) -> list[LinkedHome]:
    """The enterprises the identity administers, on the linked console's chooser."""
    return [
        LinkedHome(
            kind=str(_("Enterprise")),
            name=corp.name,
            url=reverse("console:enterprise_apps", args=[corp.corp_id]),
        )
        for corp in selectors.administered(identity)
    ]


register_home(_homes)

urlpatterns: list = [
    path("work/<str:corp_id>/", enterprise.enterprise_apps, name="enterprise_apps"),
    path("work/<str:corp_id>/apps/<int:pk>/", enterprise.enterprise_app, name="enterprise_app"),
    path(
        "work/<str:corp_id>/departments/",
        enterprise.enterprise_departments,
        name="enterprise_departments",
    ),
    path(
        "work/<str:corp_id>/departments/<int:pk>/delete/",
        enterprise.enterprise_department_delete,
        name="enterprise_department_delete",
    ),
    path("work/<str:corp_id>/members/", enterprise.enterprise_members, name="enterprise_members"),
    path(
        "work/<str:corp_id>/members/<int:pk>/remove/",
        enterprise.enterprise_member_remove,
        name="enterprise_member_remove",
    ),
    path("settings/links/enterprise/", enterprise_links.links_enterprise, name="links_enterprise"),
    path(
        "settings/links/enterprise/end/",
        enterprise_links.links_enterprise_end,
        name="links_enterprise_end",
    ),
    path(
        "settings/links/enterprise/act/",
        enterprise_links.links_enterprise_act,
        name="links_enterprise_act",
    ),
]
