"""Every route registered with `miniport.openapi.base` for the openapi surface."""

from miniport.openapi import base

base.discover()

app_name = "openapi"
urlpatterns = base.urlpatterns_for("openapi")
