"""The console's payments pages (PAY-1); included by `console/urls.py` in its namespace."""

from django.urls import path

from miniport.console.views import orders, payments

urlpatterns: list = [
    path("payments/", payments.payments, name="payments"),
    path("payments/apply/", payments.payments_apply, name="payments_apply"),
    path("payments/supplement/", payments.payments_supplement, name="payments_supplement"),
    path("payments/withdraw/", payments.payments_withdraw, name="payments_withdraw"),
    path("payments/key/", payments.payments_key_start, name="payments_key_start"),
    path("payments/key/confirm/", payments.payments_key_confirm, name="payments_key_confirm"),
    path("payments/key/shown/", payments.payments_key_shown, name="payments_key_shown"),
    path("payments/bill/", payments.payments_bill, name="payments_bill"),
    path("payments/orders/", orders.orders, name="orders"),
    # The order comes in the query (?order=<id>), like a search result.
    path("payments/orders/detail/", orders.orders_detail, name="orders_detail"),
]
