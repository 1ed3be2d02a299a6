from django.urls import include, path

from miniport.mobile.views import auth, functional, launch, pay, scan, signup, tickets, trial

app_name = "mobile"
urlpatterns = [
    path("", scan.home, name="home"),
    path("login/", auth.login, name="login"),
    path("demo-login/", auth.demo_login, name="demo_login"),
    path("logout/", auth.logout, name="logout"),
    path("signup/", signup.signup_page, name="signup"),
    path("scan/<str:token>/", scan.scan, name="scan"),
    path("launch/<str:appid>/", launch.launch, name="launch"),
    path("trial/<str:appid>/", trial.trial, name="trial"),
    path("pay/<str:prepay_id>/", pay.pay, name="pay"),
    path("functional/", functional.functional_page, name="functional"),
    path(
        "functional/preview/<str:appid>/",
        functional.functional_preview,
        name="functional_preview",
    ),
    path("tickets/<str:token>/qr.png", tickets.ticket_qr, name="ticket_qr"),
    path("tickets/<str:token>/status", tickets.ticket_status, name="ticket_status"),
    path("work/", include("miniport.mobile.views.workbench")),  # WW-4, the enterprise workbench
]
