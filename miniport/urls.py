from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

from miniport.mobile.views import media as mobile_media

# Styled, in the page's language, leading back to the surface's home; JSON on API paths.
handler400 = "miniport.web.errors.bad_request"
handler403 = "miniport.web.errors.permission_denied"
handler404 = "miniport.web.errors.page_not_found"
handler500 = "miniport.web.errors.server_error"

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
    path("captcha/", include("captcha.urls")),
    path("ops/", include("miniport.ops.urls")),
    path("m/", include("miniport.mobile.urls")),
    path("runtime/v1/", include("miniport.runtime.urls")),
    path("", include("miniport.openapi.pay_urls")),
    path("", include("miniport.openapi.urls")),
    path("", include("miniport.console.urls")),
]

# Avatars are public (getaccountbasicinfo's head_image_url, the launch page); with
# local file storage this serves them at the storage's own URL. Object storage serves
# its URLs itself. Last: the API routes are matched before it on every call.
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.strip('/')}/avatars/<str:filename>",
            mobile_media.avatar,
            name="public_avatar",
        )
    )
