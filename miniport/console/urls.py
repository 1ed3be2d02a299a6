from django.urls import include, path

from miniport.console.views import home, information, login, signup, status

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    path("register/", signup.register, name="register"),
    path("register/sent/", signup.register_sent, name="register_sent"),
    path("register/activate/<str:token>/", signup.register_activate, name="register_activate"),
    path("register/info/", information.register_info, name="register_info"),
    path("register/admin/", information.register_admin, name="register_admin"),
    path("register/sms/", information.register_sms, name="register_sms"),
    path("register/admin/check/", information.register_admin_check, name="register_admin_check"),
    path("register/confirm/", information.register_confirm, name="register_confirm"),
    path("register/status/", status.register_status, name="register_status"),
    path("login/", login.login_view, name="login"),
    path("login/scan/", login.login_scan, name="login_scan"),
    path("login/scan/complete/", login.login_scan_complete, name="login_scan_complete"),
    path("logout/", login.logout_view, name="logout"),
    path("", include("miniport.console.pages.members")),
    path("settings/basic/", include("miniport.console.pages.profile")),
    path("settings/dev/", include("miniport.console.pages.devsettings")),
]
