"""Every route registered with `miniport.web.api` for the runtime surface."""

from miniport.web import api

api.discover()

app_name = "runtime"
urlpatterns = api.urlpatterns_for("runtime")
