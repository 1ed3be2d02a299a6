"""The one permission table (MEM-5). Console pages, the server API and the runtime
all ask `allowed(roles, action)`; nothing else decides who may do what."""

from __future__ import annotations

from collections.abc import Iterable

ADMINISTRATOR = "administrator"
OPERATOR = "operator"
DEVELOPER = "developer"
DATA_ANALYST = "data_analyst"
EXPERIENCE = "experience"
# The mini program's own server, authenticated by access_token: acts for the administrator
# on everything the server API exposes.
APP = "app"

ROLES = (ADMINISTRATOR, OPERATOR, DEVELOPER, DATA_ANALYST, EXPERIENCE, APP)

# Roles a project member may hold (MEM-1), in the order of the console's checkboxes.
PROJECT_ROLES = (OPERATOR, DEVELOPER, DATA_ANALYST)

# action -> roles allowed. Seed 004: operator = management, promotion, settings;
# developer = development module + experience version; data analyst = statistics +
# experience version; experience members are not project members (no console).
# A console page names one action; a role without "console.enter" is an outsider there
# (404), a project member without the page's action is refused (403).
PERMISSIONS: dict[str, frozenset[str]] = {
    "console.enter": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, DATA_ANALYST}),
    "home.view": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, DATA_ANALYST}),
    "profile.view": frozenset({ADMINISTRATOR, OPERATOR, APP}),
    "profile.edit": frozenset({ADMINISTRATOR, OPERATOR, APP}),
    "subject.view": frozenset({ADMINISTRATOR, OPERATOR}),
    "subject.view_id_number": frozenset({ADMINISTRATOR}),
    "categories.edit": frozenset({ADMINISTRATOR, OPERATOR, APP}),
    "members.view": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, DATA_ANALYST}),
    "members.manage": frozenset({ADMINISTRATOR}),
    "members.leave": frozenset({OPERATOR, DEVELOPER, DATA_ANALYST}),
    "admin.handover": frozenset({ADMINISTRATOR}),
    "experience.view": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, DATA_ANALYST, APP}),
    "experience.manage": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, DATA_ANALYST, APP}),
    "experience.use": frozenset({ADMINISTRATOR, DEVELOPER, DATA_ANALYST, EXPERIENCE}),
    "devsettings.view": frozenset({ADMINISTRATOR, DEVELOPER, APP}),
    "devsettings.edit": frozenset({ADMINISTRATOR, DEVELOPER, APP}),
    "secret.reset": frozenset({ADMINISTRATOR}),
    "stats.view": frozenset({ADMINISTRATOR, OPERATOR, DATA_ANALYST}),
    "audit.view": frozenset({ADMINISTRATOR}),
    # B-10: creating and revoking CI upload keys, a credential like the AppSecret.
    "upload_keys.manage": frozenset({ADMINISTRATOR}),
    # Version management (VER-1..VER-7). The page: the management members (seed 004:
    # operator = management, developer = development module) and the app's server.
    "versions.view": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, APP}),
    # Seed 001: the administrator submits the development version for review (and takes
    # it back); the administrator releases it, puts it in gray, rolls it back and
    # pauses the service. The app's server acts for the administrator (/wxa/*).
    "versions.submit": frozenset({ADMINISTRATOR, APP}),
    "versions.release": frozenset({ADMINISTRATOR, APP}),
    # VER-1: developers upload (the administrator too; the app's server by /wxa/commit).
    "versions.upload": frozenset({ADMINISTRATOR, DEVELOPER, APP}),
    # VER-2: choosing the experience version, a version-management action (administrator,
    # operator) and the developer's "experience version" permission (seed 004).
    "experience.set": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, APP}),
    # The console's message centre (B-6): review results and releases, for the project.
    "inbox.view": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, DATA_ANALYST}),
    # CER-2: certification sits in the basic settings (operator = settings); applying,
    # paying its fee and renewing speak for the subject: the administrator.
    "certification.view": frozenset({ADMINISTRATOR, OPERATOR}),
    "certification.apply": frozenset({ADMINISTRATOR}),
    # PAY-1: WeChat Pay. The merchant page and the orders: the management members; the
    # application and the API key (shown once, after a scan): the administrator.
    "payments.view": frozenset({ADMINISTRATOR, OPERATOR}),
    "payments.apply": frozenset({ADMINISTRATOR}),
    "payments.key": frozenset({ADMINISTRATOR}),
    "orders.view": frozenset({ADMINISTRATOR, OPERATOR, DATA_ANALYST}),
    # Plugins (PLG-1..PLG-10): the plugin's console has the owner's members and roles.
    # Looking at it: the management members and the developers.
    "plugin.view": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, APP}),
    # PLG-3: enabling the plugin speaks for the subject: the administrator.
    "plugin.enable": frozenset({ADMINISTRATOR}),
    # PLG-5, B-9: basic information, the settings (application policy), publishing the
    # documentation (operator = management and settings).
    "plugin.edit": frozenset({ADMINISTRATOR, OPERATOR, APP}),
    # PLG-4, PLG-6, PLG-7: development information, uploading versions and documentation,
    # the development assistant (the development module).
    "plugin.develop": frozenset({ADMINISTRATOR, DEVELOPER, APP}),
    # PLG-8: submitting for review and releasing, like a mini program's versions.
    "plugin.release": frozenset({ADMINISTRATOR, APP}),
    # PLG-9: answering usage applications and unbinding users (/wxa/devplugin).
    "plugin.applications": frozenset({ADMINISTRATOR, OPERATOR, APP}),
    # PLG-10: applying for payment in the plugin speaks for the subject.
    "plugin.payment": frozenset({ADMINISTRATOR}),
    # PLG-11: Settings > Third-party services > Plugin management of the using mini
    # program; applying and unbinding are settings (operator) and the server's /wxa/plugin.
    "plugins.view": frozenset({ADMINISTRATOR, OPERATOR, DEVELOPER, APP}),
    "plugins.manage": frozenset({ADMINISTRATOR, OPERATOR, APP}),
    # Settings > Association settings (OPN, OA, WW): the lists are settings (operator);
    # binding, unlinking and authorizing speak for the subject (the administrator, whose
    # scan confirms them; the app's server for /cgi-bin/open/*).
    "links.view": frozenset({ADMINISTRATOR, OPERATOR}),
    "open_platform.manage": frozenset({ADMINISTRATOR, APP}),
    "official_accounts.manage": frozenset({ADMINISTRATOR}),
    "enterprise.manage": frozenset({ADMINISTRATOR}),
}


def allowed(roles: Iterable[str], action: str) -> bool:
    granted = PERMISSIONS[action]  # an unknown action is a programming error
    return any(role in granted for role in roles)


def actions_for(roles: Iterable[str]) -> set[str]:
    roles = set(roles)
    return {action for action, granted in PERMISSIONS.items() if roles & granted}
