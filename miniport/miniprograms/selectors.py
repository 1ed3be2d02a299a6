"""Reads about mini programs used by several surfaces."""

from __future__ import annotations

from miniport.miniprograms import permissions
from miniport.miniprograms.models import Member, MemberKind, MemberStatus, MiniProgram


def roles_of(identity, miniprogram: MiniProgram) -> set[str]:
    """The roles an identity holds in a mini program (empty for an outsider)."""
    if identity is None:
        return set()
    if miniprogram.admin_identity_id == identity.pk:
        return {permissions.ADMINISTRATOR}
    roles: set[str] = set()
    for member in Member.objects.filter(miniprogram=miniprogram, identity=identity, status=MemberStatus.ACTIVE):
        if member.kind == MemberKind.EXPERIENCE:
            roles.add(permissions.EXPERIENCE)
        else:
            roles.update(member.roles)
    return roles


def miniprograms_of(identity) -> list[MiniProgram]:
    """Mini programs whose console this identity may enter (administrator or project member)."""
    administered = list(MiniProgram.objects.filter(admin_identity=identity))
    member_of = MiniProgram.objects.filter(
        members__identity=identity, members__kind=MemberKind.PROJECT, members__status=MemberStatus.ACTIVE
    ).exclude(admin_identity=identity)
    return administered + list(member_of)


def by_appid(appid: str) -> MiniProgram | None:
    return MiniProgram.objects.select_related("subject", "subject__registration").filter(appid=appid or "").first()
