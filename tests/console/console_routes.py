"""Every route of the `console` URL namespace, the personas that open them and the objects
their URL arguments name: shared by the permission matrix and the page walks.

Routes are read from the URL patterns, so a page added later is covered without
touching this module; a route that takes URL arguments must say here how the matrix
builds them (`ARGUMENTS`), or the matrix fails and names it.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from miniport.console.access import MEMBER_APPID
from miniport.console.session import IDENTITY
from miniport.core import clock, ids
from miniport.core.actors import Actor
from miniport.identities import services as identity_services
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.models import (
    CategoryStatus,
    Member,
    MiniProgramCategory,
    UploadKey,
    WebhookEndpoint,
)
from miniport.miniprograms.services import devsettings, webhooks
from miniport.miniprograms.services import members as member_services
from miniport.miniprograms.services.upload_keys import upload_key_create
from miniport.plugins.docs.services import plugin_doc_upload
from miniport.plugins.models import (
    Plugin,
    PluginApplication,
    PluginDoc,
    PluginSubmission,
    PluginSubmissionState,
    PluginVersion,
)
from miniport.releases.models import DevVersion
from miniport.releases.services import version_upload
from tests.console.conftest import two_step_login
from tests.links.open_platform.makers import open_appid_of
from tests.miniprograms.conftest import console_login
from tests.releases.version_support import package_bytes
from tests.releases.zips import make_zip

# Console pages outside any mini program's console, each with why it takes no
# permission. Keep this list small: every other console route is a `console_view`.
PUBLIC: dict[str, str] = {
    "register": "creating an account: nobody is logged in yet",
    "register_sent": "creating an account: the activation mail was sent",
    "register_activate": "creating an account: the link in the activation mail",
    "register_info": "registration wizard of the logged-in account, before its mini program exists",
    "register_admin": "registration wizard of the logged-in account, before its mini program exists",
    "register_sms": "registration wizard of the logged-in account, before its mini program exists",
    "register_admin_check": "registration wizard of the logged-in account, before its mini program exists",
    "register_confirm": "registration wizard of the logged-in account, before its mini program exists",
    "register_status": "registration wizard of the logged-in account: its review state",
    "login": "email login, first step",
    "login_scan": "email login, the administrator's scan",
    "login_scan_complete": "email login, the administrator's scan",
    "logout": "ends whatever session there is",
    "member_login": "member login by scan: no mini program is chosen yet",
    "member_login_complete": "member login by scan: no mini program is chosen yet",
    "member_login_choose": "member login by scan: the identity picks its mini program",
    "links_signin": "official-account and enterprise console: the scan sign-in",
    "links_signin_complete": "official-account and enterprise console: the scan sign-in",
    "links_signout": "official-account and enterprise console: signing out",
    "links_home": "official-account and enterprise console: its own sign-in (linked_view)",
    "official_account_links": "official-account console: its own sign-in (linked_view)",
    "official_account_profile": "official-account console: its own sign-in (linked_view)",
    "official_account_menu": "official-account console: its own sign-in (linked_view)",
    "official_account_unlink": "official-account console: its own sign-in (linked_view)",
    "official_account_secret_reset": "official-account console: its own sign-in (linked_view)",
    "official_account_secret_shown": "official-account console: its own sign-in (linked_view)",
    "enterprise_apps": "enterprise console: its own sign-in (linked_view)",
    "enterprise_app": "enterprise console: its own sign-in (linked_view)",
    "enterprise_departments": "enterprise console: its own sign-in (linked_view)",
    "enterprise_members": "enterprise console: its own sign-in (linked_view)",
    "enterprise_department_delete": "enterprise console: its own sign-in (linked_view)",
    "enterprise_member_remove": "enterprise console: its own sign-in (linked_view)",
    "help": "help documents: read before anyone has an account",
    "help_page": "help documents: read before anyone has an account",
    "agreement": "the agreements the registration form asks to accept",
    "forgot_password": "forgot password: nobody is logged in",
    "forgot_password_sent": "forgot password: the reset mail was asked for",
    "password_reset_link": "forgot password: the link in the reset mail",
    "password_reset": "forgot password: the new password, by the link's token",
    "account_recovery": "forgot email: the administrator's scan",
    "account_recovery_complete": "forgot email: the administrator's scan",
    "account_recovery_found": "forgot email: what the administrator's scan recovered",
}


@dataclass(frozen=True)
class ConsoleRoute:
    pattern: str  # as written in the URL conf, e.g. "/members/<int:pk>/roles/"
    name: str
    arguments: tuple[str, ...]
    action: str | None  # `console_action` of the view; None: not a console_view
    visible_with: str | None
    visitor: bool  # the page has its own answer for visitors (the home's landing page)

    @property
    def gated(self) -> bool:
        return self.action is not None


def _routes(patterns, prefix: str, namespace: str | None, arguments: tuple[str, ...]):
    for entry in patterns:
        regex = entry.pattern.regex
        assert regex.groups == len(regex.groupindex), f"unnamed URL argument in {entry.pattern}"
        names = arguments + tuple(regex.groupindex)
        if isinstance(entry, URLResolver):
            yield from _routes(
                entry.url_patterns,
                prefix + str(entry.pattern),
                entry.namespace or namespace,
                names,
            )
        elif isinstance(entry, URLPattern) and namespace == "console":
            view = entry.callback
            yield ConsoleRoute(
                pattern="/" + prefix + str(entry.pattern),
                name=entry.name,
                arguments=names,
                action=getattr(view, "console_action", None),
                visible_with=getattr(view, "console_visible_with", None),
                visitor=bool(getattr(view, "console_visitor", False)),
            )


def console_routes() -> list[ConsoleRoute]:
    """Every route of the `console` namespace, public or not."""
    return sorted(_routes(get_resolver().url_patterns, "", None, ()), key=lambda r: r.pattern)


def gated_routes() -> list[ConsoleRoute]:
    return [route for route in console_routes() if route.gated]


@dataclass
class Objects:
    """What URL arguments of one mini program's console pages name."""

    project_member: Member
    experience_member: Member
    category: MiniProgramCategory
    webhook: WebhookEndpoint
    dev_version: DevVersion
    upload_key: UploadKey
    # The mini program's plugin: a submission, a document with an image, an application.
    plugin_submission: PluginSubmission
    plugin_doc: PluginDoc
    plugin_application: PluginApplication


# How each route's URL arguments are built from a mini program's `Objects`. An argument
# that names no object (a field name) is the same for every mini program.
ARGUMENTS: dict[str, Callable[[Objects], dict]] = {
    "members_roles": lambda o: {"pk": o.project_member.pk},
    "members_remove": lambda o: {"pk": o.project_member.pk},
    "members_confirm": lambda o: {"pk": o.experience_member.pk},
    "members_experience_remove": lambda o: {"pk": o.experience_member.pk},
    "basic_settings_edit": lambda o: {"field": "name"},
    "basic_category_delete": lambda o: {"pk": o.category.pk},
    "basic_category_modify": lambda o: {"pk": o.category.pk},
    "dev_webhook": lambda o: {"pk": o.webhook.pk},
    "dev_webhook_remove": lambda o: {"pk": o.webhook.pk},
    "versions_files": lambda o: {"pk": o.dev_version.pk},
    "versions_experience_set": lambda o: {"pk": o.dev_version.pk},
    "upload_key_revoke": lambda o: {"pk": o.upload_key.pk},
    "plugin_versions_withdraw": lambda o: {"pk": o.plugin_submission.pk},
    "plugin_versions_release": lambda o: {"pk": o.plugin_submission.pk},
    "plugin_doc": lambda o: {"pk": o.plugin_doc.pk},
    "plugin_doc_publish": lambda o: {"pk": o.plugin_doc.pk},
    "plugin_doc_image": lambda o: {"pk": o.plugin_doc.pk, "index": 0},
    "plugin_users_agree": lambda o: {"pk": o.plugin_application.pk},
    "plugin_users_refuse": lambda o: {"pk": o.plugin_application.pk},
    "plugin_users_delete": lambda o: {"pk": o.plugin_application.pk},
    "plugin_users_unbind": lambda o: {"pk": o.plugin_application.pk},
    "links_open_account": lambda o: {"open_appid": open_appid_of(o.dev_version.miniprogram)},
    "links_open_account_act": lambda o: {"open_appid": open_appid_of(o.dev_version.miniprogram)},
}

# Routes whose URL argument names no object of a mini program (it is a field name).
NO_OBJECT_ARGUMENTS = {"basic_settings_edit"}


# Pages that take their object from the query string (the form of one development
# version): probed with that object, so the matrix opens the page itself, not a 404.
QUERIES: dict[str, Callable[[Objects], dict]] = {
    "versions_submit": lambda o: {"version": o.dev_version.pk},
}


def path_of(route: ConsoleRoute, objects: Objects) -> str:
    if not route.arguments:
        path = reverse(f"console:{route.name}")
    else:
        path = reverse(f"console:{route.name}", kwargs=ARGUMENTS[route.name](objects))
    query = QUERIES.get(route.name)
    return f"{path}?{urlencode(query(objects))}" if query else path


def add_confirmed(miniprogram, identity, kind: str, roles=()) -> Member:
    """A member added the console's way: requested, scanned by the administrator, confirmed."""
    session_key = f"matrix-{identity.pk}-{kind}"
    admin = miniprogram.admin_identity
    _member, ticket = member_services.member_request_add(
        actor=Actor.for_identity(admin),
        miniprogram=miniprogram,
        wechat_id=identity.wechat_id,
        kind=kind,
        roles=roles,
        session_key=session_key,
    )
    identity_services.ticket_confirm(identity=admin, token=ticket.token)
    return member_services.member_confirm(
        actor=Actor.for_identity(admin),
        miniprogram=miniprogram,
        token=ticket.token,
        session_key=session_key,
    )


def forge_session(client: Client, identity, appid: str) -> None:
    """A console session naming a mini program the member login would not offer."""
    store = client.session
    store[IDENTITY] = identity.pk
    store[MEMBER_APPID] = appid
    store.save()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def plugin_objects(miniprogram, dev_version: DevVersion, applicant, tag: str) -> dict:
    """The mini program's plugin (made as rows, whatever its subject: the pages are what
    is probed), a submission, a document with an image and `applicant`'s application."""
    now = clock.now()
    plugin = Plugin.objects.create(
        appid=ids.new_appid(),
        owner=miniprogram,
        name=f"测试插件{miniprogram.pk}",
        created_at=now,
        updated_at=now,
    )
    version = PluginVersion.objects.create(
        plugin=plugin,
        package=dev_version.package,
        user_version="1.0.0",
        developer_label="测试",
        uploaded_at=now,
    )
    submission = PluginSubmission.objects.create(
        plugin=plugin,
        version=version,
        category_first_name="工具",
        category_second_name="信息查询",
        description="测试",
        state=PluginSubmissionState.APPROVED,
        submitted_at=now,
    )
    doc = plugin_doc_upload(
        actor=Actor.for_identity(miniprogram.admin_identity),
        plugin=plugin,
        upload=make_zip({"README.md": "# 测试\n\n![](a.png)\n".encode(), "a.png": _png()}),
    )
    application = PluginApplication.objects.create(
        plugin=plugin, miniprogram=applicant, reason="测试", created_at=now
    )
    return {"plugin_submission": submission, "plugin_doc": doc, "plugin_application": application}


def objects_of(miniprogram, make_identity, tag: str, applicant) -> Objects:
    devsettings.settings_for(miniprogram)  # made on first read; here before any page opens
    category = MiniProgramCategory.objects.create(
        miniprogram=miniprogram,
        first_id=1,
        second_id=2,
        first_name="教育服务",
        second_name="在线教育",
        status=CategoryStatus.APPROVED,
        created_at=clock.now(),
    )
    dev_version = version_upload(
        actor=Actor.for_identity(miniprogram.admin_identity),
        miniprogram=miniprogram,
        archive=io.BytesIO(package_bytes(tag)),
        user_version="1.0.0",
        user_desc=f"matrix {tag}",
    )
    return Objects(
        project_member=add_confirmed(
            miniprogram, make_identity(f"{tag}_target_p"), "project", ("developer",)
        ),
        experience_member=add_confirmed(
            miniprogram, make_identity(f"{tag}_target_e"), "experience"
        ),
        category=category,
        webhook=webhooks.webhook_create(
            actor=Actor.for_identity(miniprogram.admin_identity),
            miniprogram=miniprogram,
            url=f"https://hooks.example.com/{tag}",
        )[0],
        dev_version=dev_version,
        upload_key=upload_key_create(
            actor=Actor.for_identity(miniprogram.admin_identity),
            miniprogram=miniprogram,
            name=f"matrix {tag}",
        )[0],
        **plugin_objects(miniprogram, dev_version, applicant, tag),
    )


@dataclass
class Persona:
    name: str
    client: Client
    identity: object | None


@dataclass
class World:
    miniprogram: object
    app: object  # the `Provisioned` mini program: its AppSecret, password, administrator
    personas: list[Persona]
    objects: Objects
    foreign: Objects = field(repr=False)  # the same kinds of objects in another mini program

    def persona(self, name: str) -> Persona:
        return next(p for p in self.personas if p.name == name)

    def roles(self, persona: Persona) -> set[str] | None:
        if persona.identity is None:
            return None
        return selectors.roles_of(persona.identity, self.miniprogram)


def build_world(provision, make_identity, *, subject_type: str = "personal", **options) -> World:
    """One mini program, a browser for each persona, the roles each holds there, and the
    objects the pages' URL arguments name (in it and in another mini program)."""
    app = provision(subject_type, **options)
    mp = app.miniprogram
    personas: list[Persona] = []

    account_admin = Client()
    two_step_login(account_admin, app)
    account_admin.post("/login/scan/complete/")
    personas.append(Persona("administrator (email login)", account_admin, mp.admin_identity))

    scan_admin = Client()
    console_login(scan_admin, mp.admin_identity)
    personas.append(Persona("administrator (scan login)", scan_admin, mp.admin_identity))

    for role in permissions.PROJECT_ROLES:
        member = make_identity(f"matrix_{role}"[:20])
        add_confirmed(mp, member, "project", (role,))
        client = Client()
        console_login(client, member)
        personas.append(Persona(role, client, member))

    tester = make_identity("matrix_tester")
    add_confirmed(mp, tester, "experience")
    experience = Client()
    forge_session(experience, tester, mp.appid)
    personas.append(Persona("experience member", experience, tester))

    elsewhere = provision("personal").miniprogram
    outsider_identity = elsewhere.admin_identity
    outsider = Client()
    console_login(outsider, outsider_identity)
    forge_session(outsider, outsider_identity, mp.appid)
    personas.append(Persona("outsider", outsider, outsider_identity))

    personas.append(Persona("anonymous", Client(), None))
    return World(
        miniprogram=mp,
        app=app,
        personas=personas,
        objects=objects_of(mp, make_identity, "own", elsewhere),
        foreign=objects_of(elsewhere, make_identity, "foreign", mp),
    )
