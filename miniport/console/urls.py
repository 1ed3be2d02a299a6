"""Every route of the console. Views are `console/views/<area>.py`, their forms
`console/forms/<area>.py`, their templates `templates/console/<area>/`."""

from django.urls import include, path

from miniport.console.views import (
    categories,
    devsettings,
    help,
    home,
    inbox,
    information,
    login,
    member_login,
    members,
    profile,
    recovery,
    release,
    signup,
    status,
    submission,
    upload_keys,
    versions,
    webhooks,
)

app_name = "console"
urlpatterns = [
    path("", home.home, name="home"),
    # Help documents and the agreements of the registration form
    path("help/", help.help_index, name="help"),
    path("help/<slug:slug>/", help.help_page, name="help_page"),
    path("agreements/<slug:slug>/", help.agreement_page, name="agreement"),
    # Sign-up and information registration (REG-1..REG-11)
    path("register/", signup.register, name="register"),
    path("register/sent/", signup.register_sent, name="register_sent"),
    path("register/activate/<str:token>/", signup.register_activate, name="register_activate"),
    path("register/info/", information.register_info, name="register_info"),
    path("register/admin/", information.register_admin, name="register_admin"),
    path("register/sms/", information.register_sms, name="register_sms"),
    path("register/admin/check/", information.register_admin_check, name="register_admin_check"),
    path("register/confirm/", information.register_confirm, name="register_confirm"),
    path("register/status/", status.register_status, name="register_status"),
    # Login: email and the administrator's scan, or a member's scan alone
    path("login/", login.login_view, name="login"),
    path("login/scan/", login.login_scan, name="login_scan"),
    path("login/scan/complete/", login.login_scan_complete, name="login_scan_complete"),
    path("login/member/", member_login.member_login, name="member_login"),
    path(
        "login/member/complete/",
        member_login.member_login_complete,
        name="member_login_complete",
    ),
    path("login/member/choose/", member_login.member_login_choose, name="member_login_choose"),
    path("logout/", login.logout_view, name="logout"),
    # Forgot account or password (issue 10 item 2)
    path("login/forgot/", recovery.forgot_password, name="forgot_password"),
    path("login/forgot/sent/", recovery.forgot_password_sent, name="forgot_password_sent"),
    path("login/reset/", recovery.password_reset, name="password_reset"),
    path("login/reset/<str:token>/", recovery.password_reset_link, name="password_reset_link"),
    path("login/recover/", recovery.account_recovery, name="account_recovery"),
    path(
        "login/recover/complete/",
        recovery.account_recovery_done,
        name="account_recovery_complete",
    ),
    path("login/recover/found/", recovery.account_recovery_found, name="account_recovery_found"),
    # Members (MEM-1..MEM-5)
    path("members/", members.members_list, name="members"),
    path("members/add/", members.members_add, name="members_add"),
    path("members/leave/", members.members_leave, name="members_leave"),
    path("members/<int:pk>/roles/", members.members_roles, name="members_roles"),
    path("members/<int:pk>/remove/", members.members_remove, name="members_remove"),
    path("members/<int:pk>/confirm/", members.members_confirm, name="members_confirm"),
    path("members/experience/", members.members_experience, name="members_experience"),
    path(
        "members/experience/add/",
        members.members_experience_add,
        name="members_experience_add",
    ),
    path(
        "members/experience/<int:pk>/remove/",
        members.members_experience_remove,
        name="members_experience_remove",
    ),
    path("members/handover/", members.members_handover, name="members_handover"),
    path(
        "members/handover/complete/",
        members.members_handover_complete,
        name="members_handover_complete",
    ),
    # Settings › Basic settings (INF-1..INF-8)
    path("settings/basic/", profile.basic_settings, name="basic_settings"),
    path("settings/basic/edit/<str:field>/", profile.edit_field, name="basic_settings_edit"),
    path("settings/basic/avatar/", profile.avatar_image, name="basic_settings_avatar"),
    path("settings/basic/code.png", profile.code_image, name="basic_settings_code"),
    path("settings/basic/material.zip", profile.material_download, name="basic_settings_material"),
    path("settings/basic/categories/", categories.categories_page, name="basic_categories"),
    path(
        "settings/basic/categories/<int:pk>/delete/",
        categories.category_delete,
        name="basic_category_delete",
    ),
    path(
        "settings/basic/categories/<int:pk>/modify/",
        categories.category_modify,
        name="basic_category_modify",
    ),
    # Settings › Development settings (DEV-1..DEV-3)
    path("settings/dev/", devsettings.dev_settings, name="dev_settings"),
    path("settings/dev/secret/", devsettings.dev_secret_start, name="dev_secret_start"),
    path("settings/dev/secret/confirm/", devsettings.dev_secret_confirm, name="dev_secret_confirm"),
    path("settings/dev/secret/shown/", devsettings.dev_secret_shown, name="dev_secret_shown"),
    path("settings/dev/ip-whitelist/", devsettings.dev_ip_whitelist, name="dev_ip_whitelist"),
    path(
        "settings/dev/ip-whitelist/confirm/",
        devsettings.dev_ip_whitelist_confirm,
        name="dev_ip_whitelist_confirm",
    ),
    path("settings/dev/domains/", devsettings.dev_domains, name="dev_domains"),
    path("settings/dev/webview-domains/", devsettings.dev_webview, name="dev_webview"),
    path("settings/dev/push/", devsettings.dev_push, name="dev_push"),
    path("settings/dev/push/disable/", devsettings.dev_push_disable, name="dev_push_disable"),
    # Message centre and signed webhooks (B-6, VER-5)
    path("inbox/", inbox.inbox_page, name="inbox"),
    path("inbox/read/", inbox.inbox_mark_read, name="inbox_read"),
    path("settings/dev/webhooks/", webhooks.webhooks_page, name="dev_webhooks"),
    path("settings/dev/webhooks/add/", webhooks.webhook_add, name="dev_webhook_add"),
    path("settings/dev/webhooks/<int:pk>/", webhooks.webhook_detail, name="dev_webhook"),
    path(
        "settings/dev/webhooks/<int:pk>/remove/",
        webhooks.webhook_remove,
        name="dev_webhook_remove",
    ),
    # Settings › Development settings › Upload keys (B-10)
    path("settings/dev/upload-keys/", upload_keys.upload_keys_page, name="upload_keys"),
    path(
        "settings/dev/upload-keys/create/", upload_keys.upload_key_create, name="upload_key_create"
    ),
    path(
        "settings/dev/upload-keys/<int:pk>/revoke/",
        upload_keys.upload_key_revoke,
        name="upload_key_revoke",
    ),
    # Version management: development and experience versions (VER-1, VER-2)
    path("versions/", versions.versions_page, name="versions"),
    path("versions/history/", versions.versions_history, name="versions_history"),
    path("versions/upload/", versions.versions_upload, name="versions_upload"),
    path(
        "versions/experience/qr.png",
        versions.versions_experience_qr,
        name="versions_experience_qr",
    ),
    path("versions/<int:pk>/files/", versions.versions_files, name="versions_files"),
    path(
        "versions/<int:pk>/experience/",
        versions.versions_experience_set,
        name="versions_experience_set",
    ),
    # Version management › review and release (VER-3..VER-7, B-4, B-5)
    path("versions/submit/", submission.versions_submit, name="versions_submit"),
    path("versions/withdraw/", submission.versions_withdraw, name="versions_withdraw"),
    path("versions/screenshot/", submission.versions_screenshot, name="versions_screenshot"),
    path("versions/release/", release.versions_release, name="versions_release"),
    path("versions/gray/", release.versions_gray, name="versions_gray"),
    path("versions/gray/cancel/", release.versions_gray_cancel, name="versions_gray_cancel"),
    path("versions/rollback/", release.versions_rollback, name="versions_rollback"),
    path(
        "versions/rollback/confirm/",
        release.versions_rollback_confirm,
        name="versions_rollback_confirm",
    ),
    path("versions/visit/", release.versions_visit, name="versions_visit"),
    # Settings › basic settings › certification (CER-1, CER-2)
    path("", include("miniport.console.urls_certification")),
    # WeChat Pay: the merchant, its orders and notifications (PAY-1)
    path("", include("miniport.console.urls_payments")),
    path("", include("miniport.console.urls_plugin")),
    path("", include("miniport.console.urls_plugins")),
    # Settings > Association settings, and the consoles of official accounts and
    # enterprises (OPN, OA, WW)
    path("", include("miniport.console.urls_links")),
    path("", include("miniport.console.urls_open_platform")),
    path("", include("miniport.console.urls_official_accounts")),
    path("", include("miniport.console.urls_enterprise")),
]
