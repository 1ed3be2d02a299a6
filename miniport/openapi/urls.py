"""Every route registered with `miniport.web.api` for the openapi surface."""

from miniport.web import api

api.discover()

app_name = "openapi"
urlpatterns = api.urlpatterns_for("openapi")
