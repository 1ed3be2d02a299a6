"""Plugin console routes (documentation PLG-6, payment PLG-10); included by
`console/urls_plugin.py`."""

from django.urls import path

from miniport.console.views import plugin_docs as docs
from miniport.console.views import plugin_payment as payment

urlpatterns: list = [
    path("plugin/docs/", docs.plugin_docs, name="plugin_docs"),
    path("plugin/docs/upload/", docs.plugin_doc_upload, name="plugin_doc_upload"),
    path("plugin/docs/preview/", docs.plugin_doc_preview, name="plugin_doc_preview"),
    path("plugin/docs/<int:pk>/", docs.plugin_doc, name="plugin_doc"),
    path("plugin/docs/<int:pk>/publish/", docs.plugin_doc_publish, name="plugin_doc_publish"),
    path(
        "plugin/docs/<int:pk>/images/<int:index>/",
        docs.plugin_doc_image,
        name="plugin_doc_image",
    ),
    path("plugin/payment/", payment.plugin_payment, name="plugin_payment"),
    path("plugin/payment/apply/", payment.plugin_payment_apply, name="plugin_payment_apply"),
    path(
        "plugin/payment/supplement/",
        payment.plugin_payment_supplement,
        name="plugin_payment_supplement",
    ),
    path(
        "plugin/payment/withdraw/",
        payment.plugin_payment_withdraw,
        name="plugin_payment_withdraw",
    ),
]
