"""Reads about mini programs used by several surfaces."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from miniport.core import policy, quotas
from miniport.core.actors import Actor
from miniport.miniprograms import permissions
from miniport.miniprograms.models import (
    Member,
    MemberKind,
    MemberStatus,
    MiniProgram,
    MiniProgramCategory,
    PendingName,
)
from miniport.review.models import Review

# The review kinds of this domain (`review_kinds` registers them).
NAME_KIND = "name"
CATEGORY_KIND = "category"

# The Member flag that holds each project role (MEM-1).
ROLE_FIELDS = {
    permissions.OPERATOR: "is_operator",
    permissions.DEVELOPER: "is_developer",
    permissions.DATA_ANALYST: "is_data_analyst",
}


def roles_of(identity, miniprogram: MiniProgram) -> set[str]:
    """The roles an identity holds in a mini program (empty for an outsider)."""
    if identity is None or miniprogram is None:
        return set()
    identity_id = identity if isinstance(identity, int) else identity.pk
    if miniprogram.admin_identity_id == identity_id:
        return {permissions.ADMINISTRATOR}
    roles: set[str] = set()
    active = Member.objects.filter(
        miniprogram=miniprogram, identity_id=identity_id, status=MemberStatus.ACTIVE
    )
    for member in active:
        if member.kind == MemberKind.EXPERIENCE:
            roles.add(permissions.EXPERIENCE)
        else:
            roles.update(member.roles)
    return roles


def actor_roles(actor: Actor, miniprogram: MiniProgram) -> set[str]:
    """The roles an actor of any kind holds in a mini program.

    The account that owns the mini program logs in with its password plus the
    administrator's scan, so it acts as the administrator; the app's own server
    (access_token) acts as APP; platform-internal work (CLI, tests of the kernel) as
    the administrator. Anyone else holds what their identity holds.
    """
    if actor.kind == "identity" and actor.id.isdigit():
        return roles_of(int(actor.id), miniprogram)
    if actor.kind == "account" and actor.id == str(miniprogram.account_id):
        return {permissions.ADMINISTRATOR}
    if actor.kind == "app" and actor.id == miniprogram.appid:
        return {permissions.APP}
    if actor.kind == "system":
        return {permissions.ADMINISTRATOR}
    return set()


def actor_is_member(miniprogram: MiniProgram, actor: Actor) -> bool:
    """Whether the actor belongs to the mini program in any role. A staff account is
    the account it is: if it owns the mini program, it is its administrator. The
    platform's own work (the system actor) belongs to no mini program."""
    if actor.kind == "system":
        return False
    if actor.kind == "staff":
        actor = Actor("account", actor.id, actor.label)
    return bool(actor_roles(actor, miniprogram))


def miniprograms_of(identity) -> list[MiniProgram]:
    """Mini programs whose console this identity may enter (administrator or project member)."""
    administered = list(MiniProgram.objects.filter(admin_identity=identity))
    member_of = (
        MiniProgram.objects.filter(
            members__identity=identity,
            members__kind=MemberKind.PROJECT,
            members__status=MemberStatus.ACTIVE,
        )
        .exclude(admin_identity=identity)
        .distinct()
    )
    return administered + list(member_of)


def login_bound_identity(account):
    """The identity whose scan completes this console account's login (REG-10): the
    administrator of its mini program; None while the registration has opened none."""
    miniprogram = (
        MiniProgram.objects.select_related("admin_identity").filter(account=account).first()
    )
    return miniprogram.admin_identity if miniprogram is not None else None


def by_appid(appid: str) -> MiniProgram | None:
    if "\x00" in (appid or ""):  # PostgreSQL refuses NUL in text: no AppID holds one
        return None
    return (
        MiniProgram.objects.select_related("subject", "subject__registration")
        .filter(appid=appid or "")
        .first()
    )


def member_limit_key(miniprogram: MiniProgram, kind: str) -> str:
    """MEM-3: the policy row that limits this kind of member for this subject."""
    family = "developers" if kind == MemberKind.PROJECT else "experience"
    if miniprogram.subject.subject_type == "personal":
        tier = "personal"
    else:
        tier = "certified" if miniprogram.is_certified else "organization"
    return f"members.{family}.{tier}"


def member_limit(miniprogram: MiniProgram, kind: str) -> int:
    return policy.value(member_limit_key(miniprogram, kind))


# Every member row, pending or active, holds one place in this counter (MEM-3, MEM-4).
PLACES_RULE = "members.places"


def place_scope(miniprogram: MiniProgram, kind: str) -> str:
    return f"members.{kind}:{miniprogram.appid}"


@dataclass(frozen=True)
class Places:
    limit: int
    taken: int

    @property
    def left(self) -> int:
        return max(0, self.limit - self.taken)


def places(miniprogram: MiniProgram, kind: str) -> Places:
    """MEM-4: "还可添加N人". Pending additions count; read after `release_stale`."""
    taken = quotas.used(place_scope(miniprogram, kind), PLACES_RULE, "ever")
    return Places(limit=member_limit(miniprogram, kind), taken=taken)


def members(miniprogram: MiniProgram, kind: str) -> QuerySet[Member]:
    """Active and pending members of one kind, oldest first."""
    return (
        Member.objects.filter(miniprogram=miniprogram, kind=kind)
        .select_related("identity")
        .order_by("id")
    )


def project_members(miniprogram: MiniProgram, role: str | None = None) -> QuerySet[Member]:
    """Project members, optionally only those holding `role` (the list filters of seed 004)."""
    found = members(miniprogram, MemberKind.PROJECT)
    role_field = ROLE_FIELDS.get(role or "")
    return found.filter(**{role_field: True}) if role_field else found


def membership(miniprogram: MiniProgram, identity, kind: str) -> Member | None:
    return Member.objects.filter(miniprogram=miniprogram, identity=identity, kind=kind).first()


def testers(miniprogram: MiniProgram) -> QuerySet[Member]:
    """Active experience members: what the tester API (get_experiencer) lists."""
    return members(miniprogram, MemberKind.EXPERIENCE).filter(status=MemberStatus.ACTIVE)


# --- information under review (INF-2, INF-6) ----------------------------------------


def pending_name_review(miniprogram: MiniProgram) -> PendingName | None:
    """The name waiting for review, with its review, or None."""
    return PendingName.objects.select_related("review").filter(miniprogram=miniprogram).first()


def name_review_of(miniprogram: MiniProgram, audit_id: int) -> Review | None:
    """A name review of this mini program by its id (setnickname's audit_id), or None."""
    return Review.objects.filter(pk=audit_id, kind=NAME_KIND, target_id=str(miniprogram.pk)).first()


def categories_of(miniprogram: MiniProgram) -> list[MiniProgramCategory]:
    return list(MiniProgramCategory.objects.filter(miniprogram=miniprogram).order_by("id"))


def category_review(category: MiniProgramCategory) -> Review | None:
    """The latest review of a category (the open one while it is pending), or None."""
    return (
        Review.objects.filter(kind=CATEGORY_KIND, target_id=str(category.pk))
        .order_by("-id")
        .first()
    )
