"""Demo data: a platform with something to look at right after `make run`.

Everything goes through the platform's own services, so the demo rows are the rows a
real registration leaves behind. Running it again creates nothing twice.

Every demo login uses the password `DEMO_PASSWORD` ("miniport-demo"):
- ops desk (/ops/): ops@miniport.local (a code review waits in its queue)
- console: demo@miniport.local (personal mini program, active, with code versions:
  1.0.0 online, 1.1.0 the experience version, 1.2.0 in review; see `versions`),
  enterprise@miniport.local (waiting for the corporate remittance),
  government@miniport.local (waiting for certification),
  shop@miniport.local (certified enterprise mini program with an approved merchant and
  a few orders; see `payments`)
- identities on the phone pages (/m/): see `IDENTITIES`
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core import mail
from django.db import transaction
from django.test.utils import override_settings

from miniport.core import audit, clock, sms
from miniport.core.actors import Actor
from miniport.core.validators import make_id_number
from miniport.demo import enterprise, official_accounts, open_platform, payments, plugins, versions

DEMO_PASSWORD = "miniport-demo"
OPS_EMAIL = "ops@miniport.local"
CONSOLE_EMAIL = "demo@miniport.local"
ENTERPRISE_EMAIL = "enterprise@miniport.local"
GOVERNMENT_EMAIL = "government@miniport.local"
DEMO_APP_NAME = "迷你港演示小程序"
ADMIN_WECHAT_ID = "demo_admin"


@dataclass(frozen=True)
class DemoIdentity:
    wechat_id: str
    nickname: str
    real_name: str  # empty: not real-name verified
    born: date | None
    phone: str
    role: str

    def id_number(self) -> str:
        if self.born is None or not self.real_name:
            return ""
        # A stable, checksum-valid number per identity (the sequence is the phone's tail).
        return make_id_number(self.born, region="440305", sequence=int(self.phone[-3:]))


def _sixteen_years_old() -> date:
    # Born on 1 January sixteen years ago: sixteen all year round.
    return date(clock.today().year - 16, 1, 1)


def identities() -> list[DemoIdentity]:
    return [
        DemoIdentity(
            "demo_admin",
            "王小明",
            "王小明",
            date(1990, 5, 17),
            "13900000101",
            "administrator of the demo mini program",
        ),
        DemoIdentity("demo_dev", "陈开发", "陈开发", date(1992, 3, 8), "13900000102", "developer"),
        DemoIdentity(
            "demo_analyst", "林数据", "林数据", date(1988, 11, 2), "13900000103", "data analyst"
        ),
        DemoIdentity(
            "demo_tester", "赵体验", "赵体验", date(1995, 7, 21), "13900000104", "experience member"
        ),
        DemoIdentity(
            "demo_minor",
            "周小雨",
            "周小雨",
            _sixteen_years_old(),
            "13900000105",
            "minor, 16 years old, real-name",
        ),
        DemoIdentity("demo_guest", "游客", "", None, "13900000106", "not real-name verified"),
        DemoIdentity(
            "demo_ent_admin",
            "李企业",
            "李企业",
            date(1985, 9, 30),
            "13900000107",
            "administrator of the enterprise registration",
        ),
        DemoIdentity(
            "demo_gov_admin",
            "孙政务",
            "孙政务",
            date(1979, 12, 12),
            "13900000108",
            "administrator of the government registration",
        ),
        DemoIdentity(
            payments.SHOP_ADMIN_WECHAT_ID,
            "钱商户",
            "钱商户",
            date(1987, 4, 9),
            "13900000109",
            "administrator of the shop mini program (payments)",
        ),
    ]


@dataclass(frozen=True)
class OrganizationRegistration:
    email: str
    subject_type: str
    name: str
    credit_code: str
    verification_method: str
    admin_wechat_id: str


ORGANIZATIONS = (
    OrganizationRegistration(
        ENTERPRISE_EMAIL,
        "enterprise",
        "深圳迷你港科技有限公司",
        "91440300MA5FXK2L8T",
        "remittance",
        "demo_ent_admin",
    ),
    OrganizationRegistration(
        GOVERNMENT_EMAIL,
        "government",
        "迷你港市政务服务中心",
        "11440300MB2C07781H",
        "certification",
        "demo_gov_admin",
    ),
)


def demo_present() -> bool:
    """The ops account is created last, in the same transaction: its presence means all is there."""
    from miniport.accounts.models import Account

    return Account.objects.filter(email=OPS_EMAIL).exists()


def _complete() -> bool:
    """The demo data and everything added to it since (demo data made before the code
    versions existed gets them on the next run)."""
    from miniport.miniprograms.models import MiniProgram

    if not demo_present():
        return False
    app = MiniProgram.objects.filter(account__email=CONSOLE_EMAIL).first()
    return (
        (app is None or versions.versions_present(app))
        and payments.payments_present()
        and plugins.plugins_present(payments.shop_app(), app)
        and open_platform.open_platform_present()
        and official_accounts.official_accounts_present()
        and (app is None or enterprise.enterprise_present())
    )


def logins() -> list[str]:
    """Human lines describing the demo logins, empty when there is no demo data."""
    from miniport.identities.models import Identity
    from miniport.miniprograms.models import MiniProgram

    if not demo_present():
        return []
    lines = [
        f"Demo logins (password for all: {DEMO_PASSWORD})",
        f"  ops desk      /ops/  {OPS_EMAIL}{_waiting()}",
    ]
    app = MiniProgram.objects.filter(account__email=CONSOLE_EMAIL).first()
    suffix = f" (AppID {app.appid})" if app else ""
    lines.append(f"  console       /      {CONSOLE_EMAIL}, administrator {ADMIN_WECHAT_ID}{suffix}")
    code = versions.summary(app) if app else ""
    if code:
        lines.append(f"{'':23}{code}")
    lines.append(f"  console       /      {ENTERPRISE_EMAIL} (waiting for remittance)")
    lines.append(f"  console       /      {GOVERNMENT_EMAIL} (waiting for certification)")
    shop = payments.shop_app()
    if shop is not None:
        lines.append(
            f"  console       /      {payments.SHOP_EMAIL}, administrator "
            f"{payments.SHOP_ADMIN_WECHAT_ID} (AppID {shop.appid}, certified)"
        )
        merchant = payments.summary()
        if merchant:
            lines.append(f"{'':23}{merchant}")
        plugin = plugins.summary(shop)
        if plugin:
            lines.append(f"{'':23}{plugin}")
    for linked in (
        open_platform.summary(),
        official_accounts.summary(),
        enterprise.summary(),
    ):
        if linked:
            lines.append(f"  linking       {linked}")
    if official_accounts.summary() or enterprise.summary():
        lines.append("  linked console /linked/  (official accounts and enterprises: one scan)")
    present = set(
        Identity.objects.values_list("wechat_id", flat=True).filter(
            wechat_id__in=[spec.wechat_id for spec in identities()]
        )
    )
    for spec in identities():
        if spec.wechat_id in present:
            lines.append(f"  identity      /m/    {spec.wechat_id:<15} {spec.role}")
    return lines


def _waiting() -> str:
    from miniport.review.models import Review, ReviewState

    count = Review.objects.filter(state=ReviewState.PENDING).count()
    return f" ({count} review{'s' if count != 1 else ''} waiting)" if count else ""


def ensure_demo_data(*, once: bool = False, say: Callable[[str], None] = print) -> bool:
    """Create whatever demo data is missing; return whether anything was created.

    With `once`, do nothing at all when the demo data is already there. The whole run is
    one transaction: an interrupted run leaves nothing half made."""
    if once and _complete():
        return False
    from miniport.miniprograms.models import MiniProgram

    actor = Actor.system("demo data")
    created = False
    with transaction.atomic():
        identity_by_id = {
            spec.wechat_id: _ensure_identity(actor, spec, say) for spec in identities()
        }
        created |= any(made for _identity, made in identity_by_id.values())
        created |= _ensure_console_app(actor, say)
        created |= _ensure_members(identity_by_id[ADMIN_WECHAT_ID][0], say)
        created |= _ensure_versions(actor, identity_by_id["demo_dev"][0], say)
        for organization in ORGANIZATIONS:
            admin, _made = identity_by_id[organization.admin_wechat_id]
            created |= _ensure_organization(actor, organization, admin, say)
        created |= payments.ensure_payments(actor=actor, password=DEMO_PASSWORD, say=say)
        created |= plugins.ensure_plugins(
            actor=actor,
            shop=payments.shop_app(),
            user=MiniProgram.objects.filter(account__email=CONSOLE_EMAIL).first(),
            say=say,
        )
        demo_app = MiniProgram.objects.filter(account__email=CONSOLE_EMAIL).first()
        created |= open_platform.ensure_open_platform(
            actor=actor, shop=payments.shop_app(), miniprogram=demo_app, say=say
        )
        created |= official_accounts.ensure_official_accounts(
            actor=actor, miniprogram=demo_app, say=say
        )
        created |= enterprise.ensure_enterprise(actor=actor, miniprogram=demo_app, say=say)
        _mark_demo_identities([spec.wechat_id for spec in identities()])
        created |= _ensure_ops_account(actor, say)
    return created


def _ensure_identity(actor: Actor, spec: DemoIdentity, say):
    from miniport.identities import services as identity_services
    from miniport.identities.models import Identity

    existing = Identity.objects.filter(wechat_id=spec.wechat_id).first()
    if existing is not None:
        return existing, False
    identity = identity_services.identity_create(
        actor=actor,
        wechat_id=spec.wechat_id,
        nickname=spec.nickname,
        real_name=spec.real_name,
        id_number=spec.id_number(),
        phone=spec.phone,
        password=DEMO_PASSWORD,
    )
    say(f"identity {spec.wechat_id}: {spec.role}")
    return identity, True


def _mark_demo_identities(wechat_ids: list[str]) -> None:
    from miniport.identities.models import Identity

    # The flag drives the one-click sign-in of demo mode; older schemas do not have it.
    if "is_demo" in {field.name for field in Identity._meta.get_fields()}:
        Identity.objects.filter(wechat_id__in=wechat_ids, is_demo=False).update(is_demo=True)


def _ensure_console_app(actor: Actor, say) -> bool:
    from miniport.accounts.models import Account
    from miniport.miniprograms.services.provisioning import provision_miniprogram

    if Account.objects.filter(email=CONSOLE_EMAIL).exists():
        return False
    provisioned = provision_miniprogram(
        actor=actor,
        name=DEMO_APP_NAME,
        subject_type="personal",
        email=CONSOLE_EMAIL,
        admin_wechat_id=ADMIN_WECHAT_ID,
    )
    account = provisioned.miniprogram.account
    # A known password, so the demo console login can be printed.
    account.set_password(DEMO_PASSWORD)
    account.save(update_fields=["password"])
    audit.record(actor, "account.password_set", target=account, after={"email": account.email})
    say(
        f"mini program {DEMO_APP_NAME}: AppID {provisioned.miniprogram.appid}, "
        f"AppSecret {provisioned.secret} (shown once)"
    )
    return True


def _ensure_versions(actor: Actor, developer, say) -> bool:
    from miniport.miniprograms.models import MiniProgram

    app = MiniProgram.objects.select_related("account").filter(account__email=CONSOLE_EMAIL).first()
    if app is None:
        return False
    return versions.ensure_versions(actor=actor, miniprogram=app, developer=developer, say=say)


# Members of the demo mini program: (wechat_id, member kind, project roles).
MEMBERS = (
    ("demo_dev", "project", ("developer",)),
    ("demo_analyst", "project", ("data_analyst",)),
    ("demo_tester", "experience", ()),
)


def _ensure_members(admin, say) -> bool:
    """Add the demo members the way the console does: request, the administrator's scan,
    confirmation."""
    from miniport.identities import services as identity_services
    from miniport.miniprograms.models import Member, MiniProgram
    from miniport.miniprograms.services import members as member_services

    app = MiniProgram.objects.select_related("account").filter(account__email=CONSOLE_EMAIL).first()
    if app is None:
        return False
    owner = Actor.for_account(app.account)
    created = False
    for wechat_id, kind, roles in MEMBERS:
        if Member.objects.filter(
            miniprogram=app, identity__wechat_id=wechat_id, kind=kind
        ).exists():
            continue
        session_key = f"demo-members-{wechat_id}"
        _member, ticket = member_services.member_request_add(
            actor=owner,
            miniprogram=app,
            wechat_id=wechat_id,
            kind=kind,
            roles=roles,
            session_key=session_key,
        )
        identity_services.ticket_confirm(identity=admin, token=ticket.token)
        member_services.member_confirm(
            actor=owner, miniprogram=app, token=ticket.token, session_key=session_key
        )
        say(f"member {wechat_id}: {kind} {', '.join(roles)}".rstrip())
        created = True
    return created


def _ensure_organization(actor: Actor, organization: OrganizationRegistration, admin, say) -> bool:
    """Walk the real registration steps up to the final confirmation, so the registration
    waits for its remittance or certification like any other."""
    from miniport.accounts.models import Account

    if Account.objects.filter(email=organization.email).exists():
        return False
    with (
        tempfile.TemporaryDirectory() as sms_folder,
        override_settings(
            # The demo mails and texts go nowhere: the codes are read back right here.
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            SMS_BACKEND="miniport.core.sms.FileSmsBackend",
            SMS_FILE_PATH=sms_folder,
        ),
    ):
        registration = _register(organization, admin)
    say(f"registration {organization.email}: {organization.subject_type}, {registration.status}")
    return True


def _register(organization: OrganizationRegistration, admin):
    from miniport.accounts import services as accounts
    from miniport.identities import services as identity_services
    from miniport.miniprograms import services as miniprograms

    account = accounts.account_register(
        email=organization.email,
        password=DEMO_PASSWORD,
        password_confirm=DEMO_PASSWORD,
        agreed=True,
    )
    accounts.account_activate(token=_activation_token(organization.email))
    account.refresh_from_db()
    registration = account.registration
    owner = Actor.for_account(account)
    accounts.registration_save_subject(
        actor=owner,
        registration=registration,
        data={
            "country": "CN",
            "subject_type": organization.subject_type,
            "name": organization.name,
            "credit_code": organization.credit_code,
            "verification_method": organization.verification_method,
        },
    )
    accounts.registration_send_sms(actor=owner, registration=registration, phone=admin.phone)
    accounts.registration_save_admin(
        actor=owner,
        registration=registration,
        admin_name=admin.real_name,
        admin_id_number=admin.id_number,
        phone=admin.phone,
        sms_code=_sms_code(admin.phone),
    )
    session_key = f"demo-{organization.email}"
    ticket = accounts.registration_request_admin_check(
        registration=registration, session_key=session_key
    )
    identity_services.ticket_confirm(identity=admin, token=ticket.token)
    accounts.registration_complete_admin_check(
        actor=owner, registration=registration, session_key=session_key
    )
    miniprograms.registration_confirm(actor=owner, registration=registration)
    registration.refresh_from_db()
    return registration


def _activation_token(email: str) -> str:
    sent = [message for message in getattr(mail, "outbox", []) if email in message.to]
    found = re.search(r"/register/activate/([^/\s]+)/", sent[-1].body) if sent else None
    if found is None:
        raise RuntimeError(f"no activation mail was sent to {email}")
    return found.group(1)


def _sms_code(phone: str) -> str:
    messages = sms.messages_to(phone)
    found = re.search(r"\d+", messages[-1]["text"]) if messages else None
    if found is None:
        raise RuntimeError("no SMS code was sent")
    return found.group(0)


def _ensure_ops_account(actor: Actor, say) -> bool:
    from miniport.accounts.models import Account, AccountKind

    if Account.objects.filter(email=OPS_EMAIL).exists():
        return False
    account = Account.objects.create_user(
        OPS_EMAIL,
        DEMO_PASSWORD,
        kind=AccountKind.STAFF,
        is_staff=True,
        is_active=True,
        activated_at=clock.now(),
    )
    audit.record(actor, "account.staff_create", target=account, after={"email": OPS_EMAIL})
    say(f"ops staff account {OPS_EMAIL}")
    return True
