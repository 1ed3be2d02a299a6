"""The server API's testers (wechat-api section 5, bind_tester / unbind_tester): experience
members bound and unbound at once, since the app's access token is the authority, with
the same places and limits as the console (MEM-2, MEM-3)."""

from __future__ import annotations

from django.db import transaction

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Member, MemberKind, MemberStatus, MiniProgram
from miniport.miniprograms.services import member_rows


def tester_bind(*, actor: Actor, miniprogram: MiniProgram, wechat_id: str) -> Member:
    member_rows.require(actor, miniprogram, "experience.manage")
    member_rows.release_stale(miniprogram)
    with transaction.atomic():
        member = member_rows.insert_member(
            actor=actor,
            miniprogram=miniprogram,
            wechat_id=wechat_id,
            kind=MemberKind.EXPERIENCE,
            roles=(),
            status=MemberStatus.ACTIVE,
        )
        audit.record(
            actor,
            "member.bind_tester",
            target=member,
            appid=miniprogram.appid,
            after=member_rows.describe(member),
        )
        member_rows.emit("member.added", miniprogram, member)
    return member


def tester_unbind(
    *, actor: Actor, miniprogram: MiniProgram, wechat_id: str = "", userstr: str = ""
) -> None:
    """Unbind a confirmed experience member. A console addition still waiting for the
    administrator's scan is no tester yet (memberauth does not list it): the API finds
    nothing to unbind, and the console keeps its request."""
    member_rows.require(actor, miniprogram, "experience.manage")
    testers = Member.objects.select_related("identity").filter(
        miniprogram=miniprogram, kind=MemberKind.EXPERIENCE, status=MemberStatus.ACTIVE
    )
    if userstr:
        member = testers.filter(userstr=userstr).first()
        if member is None:
            raise PlatformError(MiniProgramError.USERSTR_INVALID, field="userstr")
    elif wechat_id:
        member = testers.filter(identity__wechat_id=wechat_id.strip()).first()
        if member is None:
            raise PlatformError(MiniProgramError.MEMBER_NOT_FOUND, field="wechatid")
    else:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="wechatid")
    with transaction.atomic():
        member_rows.delete_member(actor, miniprogram, member, "member.unbind_tester")
