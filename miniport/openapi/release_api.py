"""Release through the server API: publish, gray release, rollback, visit status
(wechat-api 4.10..4.13; VER-6, B-5)."""

from __future__ import annotations

from pydantic import BaseModel

from miniport.core import policy
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.openapi.code_api import EmptyBody
from miniport.releases import selectors
from miniport.releases.errors import ReleaseError
from miniport.releases.models import ReleaseState
from miniport.releases.services import (
    gray_release,
    gray_revert,
    release_publish,
    release_rollback,
    visit_status_set,
)
from miniport.web.api import Call, WireModel, get, post

TAGS = ("release",)


@post("/wxa/release", body=EmptyBody, permission="versions.release", tags=TAGS)
def release(call: Call) -> dict:
    """Put the approved version online (body `{}`); 85019 nothing approved, 85020 the
    latest submission not approved, 85052 already released."""
    release_publish(actor=call.actor, miniprogram=call.miniprogram)
    return {}


class RevertQuery(WireModel):
    action: str = ""
    app_version: str = ""


class HistoryVersion(BaseModel):
    app_version: int
    user_version: str
    user_desc: str
    commit_time: int


class RevertResponse(BaseModel):
    errcode: int
    errmsg: str
    version_list: list[HistoryVersion] | None = None


@get(
    "/wxa/revertcoderelease",
    query=RevertQuery,
    response=RevertResponse,
    permission="versions.release",
    tags=TAGS,
)
def revertcoderelease(call: Call) -> dict:
    """Roll back to the previous release, or to `app_version`; with
    `action=get_history_version` list the versions a rollback may restore. 87011 gray
    release running, 87012 not one of the last 5 released versions."""
    query: RevertQuery = call.query
    history = selectors.rollback_history(call.miniprogram)
    if query.action == "get_history_version":
        return {
            "version_list": [
                {
                    "app_version": row.pk,
                    "user_version": row.dev_version.user_version,
                    "user_desc": row.dev_version.user_desc,
                    "commit_time": int(row.dev_version.uploaded_at.timestamp()),
                }
                for row in history
            ]
        }
    if query.action:
        raise PlatformError(CoreError.INVALID_ARGS, field="action")
    target = None
    app_version = query.app_version.strip()
    if app_version:
        if not (app_version.isascii() and app_version.isdigit()):
            raise PlatformError(CoreError.INVALID_ARGS, field="app_version")
        target = next((row for row in history if str(row.pk) == app_version), None)
        if target is None:
            raise PlatformError(
                ReleaseError.ROLLBACK_FORBIDDEN, limit=policy.value("release.rollback_depth")
            )
    release_rollback(actor=call.actor, miniprogram=call.miniprogram, release=target)
    return {}


class GrayReleaseBody(WireModel):
    gray_percentage: str = ""
    support_debuger_first: bool = False
    support_experiencer_first: bool = False


@post("/wxa/grayrelease", body=GrayReleaseBody, permission="versions.release", tags=TAGS)
def grayrelease(call: Call) -> dict:
    """Start a gray release of the approved version or raise its percentage (0..100; 0
    only with members first); 85079 nothing online, 85080 nothing approved, 85081
    invalid percentage, 85082 not above the running one."""
    body: GrayReleaseBody = call.body
    gray_release(
        actor=call.actor,
        miniprogram=call.miniprogram,
        percentage=body.gray_percentage,
        members_first=body.support_debuger_first,
        experiencers_first=body.support_experiencer_first,
    )
    return {}


@get("/wxa/revertgrayrelease", permission="versions.release", tags=TAGS)
def revertgrayrelease(call: Call) -> dict:
    """Cancel the running gray release: everyone gets the online version again."""
    gray_revert(actor=call.actor, miniprogram=call.miniprogram)
    return {}


class GrayPlan(BaseModel):
    status: int
    create_timestamp: int
    gray_percentage: int
    support_debuger_first: bool
    support_experiencer_first: bool


class GrayPlanResponse(BaseModel):
    errcode: int
    errmsg: str
    gray_release_plan: GrayPlan


# gray_release_plan.status (wechat-api 4.13): 0 none, 1 running, 2 paused (this platform
# has no pause), 3 finished, 4 deleted. A gray release that went to everyone finished,
# whatever came after it (superseded, rolled back).
GRAY_PLAN_NONE, GRAY_PLAN_RUNNING, GRAY_PLAN_FINISHED, GRAY_PLAN_DELETED = 0, 1, 3, 4
GRAY_PLAN_STATUS: dict[str, int] = {
    ReleaseState.GRAY: GRAY_PLAN_RUNNING,
    ReleaseState.GRAY_CANCELLED: GRAY_PLAN_DELETED,
}


@get(
    "/wxa/getgrayreleaseplan",
    response=GrayPlanResponse,
    permission="versions.view",
    tags=TAGS,
)
def getgrayreleaseplan(call: Call) -> dict:
    """The last gray release plan: running (1), finished by a release to everyone (3) or
    cancelled (4); none (0, everything zero) when no gray release was ever made."""
    gray = selectors.latest_gray_plan(call.miniprogram)
    if gray is None or gray.gray_started_at is None:
        plan = {
            "status": GRAY_PLAN_NONE,
            "create_timestamp": 0,
            "gray_percentage": 0,
            "support_debuger_first": False,
            "support_experiencer_first": False,
        }
    else:
        plan = {
            "status": GRAY_PLAN_STATUS.get(gray.state, GRAY_PLAN_FINISHED),
            "create_timestamp": int(gray.gray_started_at.timestamp()),
            "gray_percentage": gray.gray_percentage,
            "support_debuger_first": gray.members_first,
            "support_experiencer_first": gray.experiencers_first,
        }
    return {"gray_release_plan": plan}


class VisitStatusBody(WireModel):
    action: str = ""


VISIT_ACTIONS = {"open": True, "close": False}


@post(
    "/wxa/change_visitstatus",
    body=VisitStatusBody,
    permission="versions.release",
    tags=TAGS,
)
def change_visitstatus(call: Call) -> dict:
    """`action` "close" pauses the mini program for its users, "open" resumes it; 85022
    another action, 85021 closing with nothing online."""
    if call.body.action not in VISIT_ACTIONS:
        raise PlatformError(MiniProgramError.INVALID_ACTION, field="action")
    visit_status_set(
        actor=call.actor, miniprogram=call.miniprogram, open=VISIT_ACTIONS[call.body.action]
    )
    return {}


class VisitStatusResponse(BaseModel):
    errcode: int
    errmsg: str
    status: int


@post(
    "/wxa/getvisitstatus",
    body=EmptyBody,
    response=VisitStatusResponse,
    permission="versions.view",
    tags=TAGS,
)
def getvisitstatus(call: Call) -> dict:
    """1 when users may open the mini program, 0 while it is paused."""
    return {"status": 1 if selectors.visit_open(call.miniprogram) else 0}
