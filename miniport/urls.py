from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("captcha/", include("captcha.urls")),
    path("ops/", include("miniport.ops.urls")),
    path("m/", include("miniport.mobile.urls")),
    path("runtime/v1/", include("miniport.runtime.urls")),
    path("", include("miniport.openapi.urls")),
    path("", include("miniport.console.urls")),
]
