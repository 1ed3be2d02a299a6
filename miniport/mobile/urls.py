from django.urls import path

from miniport.mobile import tickets, views

app_name = "mobile"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("demo-login/", views.demo_login, name="demo_login"),
    path("logout/", views.logout, name="logout"),
    path("scan/<str:token>/", views.scan, name="scan"),
    path("launch/<str:appid>/", views.launch, name="launch"),
    path("tickets/<str:token>/qr.png", tickets.ticket_qr, name="ticket_qr"),
    path("tickets/<str:token>/status", tickets.ticket_status, name="ticket_status"),
]
