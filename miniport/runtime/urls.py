"""Every route registered with `miniport.openapi.base` for the runtime surface."""

from miniport.openapi import base

base.discover()

app_name = "runtime"
urlpatterns = base.urlpatterns_for("runtime")
