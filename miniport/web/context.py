from django.conf import settings

from miniport.core.branding import superapp_logo, superapp_name


def platform(request):
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "SITE_URL": settings.SITE_URL,
        "superapp_name": superapp_name(),
        "superapp_logo": superapp_logo(),
    }
