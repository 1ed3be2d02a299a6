from django.urls import path

from miniport.ops.views import (
    audit,
    auth,
    certification,
    merchants,
    policy,
    registrations,
    remittances,
    reviews,
)

app_name = "ops"
urlpatterns = [
    path("", registrations.home, name="home"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("registrations/", registrations.registration_list, name="registrations"),
    path("registrations/<int:pk>/", registrations.registration_detail, name="registration_detail"),
    path(
        "registrations/<int:pk>/verify/",
        registrations.registration_verify_view,
        name="registration_verify",
    ),
    path(
        "registrations/<int:pk>/fail/",
        registrations.registration_fail_view,
        name="registration_fail",
    ),
    path("remittances/import/", remittances.statement_import, name="remittance_import"),
    path(
        "remittances/imports/<int:pk>/", remittances.statement_detail, name="remittance_statement"
    ),
    path(
        "remittances/lines/<int:pk>/assign/", remittances.line_assign, name="remittance_line_assign"
    ),
    path(
        "remittances/lines/<int:pk>/dismiss/",
        remittances.line_dismiss,
        name="remittance_line_dismiss",
    ),
    path("certification/fees/", certification.certification_fees, name="certification_fees"),
    path(
        "certification/fees/<int:pk>/remittance/",
        certification.certification_fee_remittance,
        name="certification_fee_remittance",
    ),
    path("merchants/", merchants.merchant_list, name="merchants"),
    path("merchants/<int:pk>/state/", merchants.merchant_state, name="merchant_state"),
    path("policy/", policy.policy_table, name="policy"),
    path("policy/set/", policy.policy_set, name="policy_set"),
    path("policy/clear/", policy.policy_clear, name="policy_clear"),
    path("audit/", audit.audit_log, name="audit"),
    path("reviews/", reviews.review_queue, name="reviews"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review_detail"),
    path("reviews/<int:pk>/documents/<str:key>/", reviews.review_document, name="review_document"),
    path(
        "reviews/<int:pk>/screenshots/<int:index>/",
        reviews.review_screenshot,
        name="review_screenshot",
    ),
    path("reviews/<int:pk>/<str:action>/", reviews.review_act, name="review_act"),
]
