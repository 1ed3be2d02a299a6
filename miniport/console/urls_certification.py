"""The console's certification pages (CER-1, CER-2), under Settings › Basic settings;
included by `console/urls.py` in its namespace. The names start with `basic_` so the
menu's Basic settings entry lights up on them."""

from django.urls import path

from miniport.console.views import certification

urlpatterns = [
    path(
        "settings/basic/certification/",
        certification.certification_page,
        name="basic_certification",
    ),
    path(
        "settings/basic/certification/apply/",
        certification.certification_apply,
        name="basic_certification_apply",
    ),
    path(
        "settings/basic/certification/pay/",
        certification.certification_pay,
        name="basic_certification_pay",
    ),
    path(
        "settings/basic/certification/pay.png",
        certification.certification_pay_qr,
        name="basic_certification_pay_qr",
    ),
    path(
        "settings/basic/certification/supplement/",
        certification.certification_supplement,
        name="basic_certification_supplement",
    ),
    path(
        "settings/basic/certification/withdraw/",
        certification.certification_withdraw,
        name="basic_certification_withdraw",
    ),
]
