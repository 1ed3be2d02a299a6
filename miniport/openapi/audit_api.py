"""Code review through the server API: submit the experience version, read the audit
status, withdraw (wechat-api 4.5..4.9; VER-3..VER-5).

Audit statuses are WeChat's (4.6): 0 approved, 1 rejected, 2 in review, 3 withdrawn,
4 delayed; the desk decides through the review machine."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import media
from miniport.releases import selectors
from miniport.releases.errors import ReleaseError
from miniport.releases.models import Submission, SubmissionState
from miniport.releases.packages.manifest import PackageManifest
from miniport.releases.review_kind import reason_display
from miniport.releases.services import (
    submission_quota,
    submission_speed_up,
    submission_withdraw,
    version_submit_for_review,
)
from miniport.releases.ugc_declare import ugc_declare_clean
from miniport.web.api import Call, WireModel, get, post

TAGS = ("audit",)


class AuditItem(WireModel):
    address: str = ""
    tag: str = ""
    first_class: str = ""
    second_class: str = ""
    third_class: str = ""
    first_id: str = ""
    second_id: str = ""
    third_id: str = ""
    title: str = ""


class PreviewInfo(WireModel):
    video_id_list: list[str] = Field(default_factory=list)
    pic_id_list: list[str] = Field(default_factory=list)


def _preview(value: Any) -> PreviewInfo:
    """preview_info as sent, read here rather than by the body's model: a wrong shape
    is 85092 (wechat-api 4.5), not the body's 47001."""
    if value is None:
        return PreviewInfo()
    try:
        return PreviewInfo.model_validate(value)
    except ValidationError:
        raise PlatformError(ReleaseError.PREVIEW_INFO_INVALID, field="preview_info") from None


class TestAccount(WireModel):
    """Miniport's addition (VER-4): the test account a reviewer asked for."""

    account: str = ""
    password: str = ""
    note: str = ""


class SubmitAuditBody(WireModel):
    item_list: list[AuditItem] | None = None
    feedback_info: str = ""
    # `|`-separated media ids.
    feedback_stuff: str = ""
    version_desc: str = ""
    preview_info: Any = None
    ugc_declare: dict[str, Any] | None = None
    privacy_api_not_use: bool = False
    order_path: str = ""
    test_account: TestAccount | None = None


class SubmitAuditResponse(BaseModel):
    errcode: int
    errmsg: str
    auditid: int


def _items(body: SubmitAuditBody) -> list[dict[str, str]] | None:
    if body.item_list is None:
        return None
    return [
        {key: value for key, value in item.model_dump().items() if value != ""}
        for item in body.item_list
    ]


@post(
    "/wxa/submit_audit",
    body=SubmitAuditBody,
    response=SubmitAuditResponse,
    permission="versions.submit",
    tags=TAGS,
)
def submit_audit(call: Call) -> dict:
    """Submit the experience version for review with 1..5 item groups; 85086 nothing
    committed, 86002 no name, 85009 a review open, 85023 / 85010 / 85006 / 85011 / 85007
    / 85008 item groups, 85051 too long, 85085 monthly quota; 40097 a ugc_declare out of
    its rules (`releases.ugc_declare`), before anything is kept."""
    body: SubmitAuditBody = call.body
    ugc_declare_clean(body.ugc_declare)
    mp = call.miniprogram
    experience = selectors.experience_of(mp)
    preview = _preview(body.preview_info)
    stuff = [part.strip() for part in body.feedback_stuff.split("|") if part.strip()]
    media_ids = [*preview.pic_id_list, *preview.video_id_list, *stuff]
    limit = policy.value("submit.max_screenshots")
    if len(media_ids) > limit:
        raise PlatformError(ReleaseError.SCREENSHOTS_TOO_MANY, field="preview_info", limit=limit)
    # The reviewer sees the material itself: each media id is kept with the submission,
    # as the console keeps its uploads. preview_info's ids come from /wxa/uploadmedia
    # (wechat-api 4.5), pic_id_list's images and video_id_list's videos; feedback_stuff
    # is images. Any other id is 40007 and nothing is submitted.
    wanted = [
        *(
            (media_id, "preview_info", (media.REVIEW,), (media.IMAGE,))
            for media_id in preview.pic_id_list
        ),
        *(
            (media_id, "preview_info", (media.REVIEW,), (media.VIDEO,))
            for media_id in preview.video_id_list
        ),
        *((media_id, "feedback_stuff", media.ORIGINS, (media.IMAGE,)) for media_id in stuff),
    ]
    with media.Keeper(mp) as keeper:
        kept = [
            keeper.keep(
                media.media_get(mp, media_id, field=field, origins=origins, types=types),
                field=field,
            )
            for media_id, field, origins, types in wanted
        ]
        submission = version_submit_for_review(
            actor=call.actor,
            miniprogram=mp,
            dev_version=experience.dev_version if experience is not None else None,
            items=_items(body),
            description=body.version_desc,
            feedback=body.feedback_info,
            screenshots=kept,
            test_account=body.test_account.model_dump() if body.test_account else None,
            privacy_declared=body.privacy_api_not_use,
        )
    return {"auditid": submission.auditid}


class UploadMediaResponse(BaseModel):
    errcode: int
    errmsg: str
    type: str
    mediaid: str


@post(
    "/wxa/uploadmedia",
    response=UploadMediaResponse,
    permission="versions.submit",
    tags=TAGS,
)
def uploadmedia(call: Call) -> dict:
    """Upload review material for a submission's preview_info (multipart field `media`,
    wechat-api 4.13): an image (png, jpeg, jpg or gif, at most submit.media_max_bytes)
    or an mp4 video (at most submit.video_max_bytes), told apart by content. 41005
    none, 40006 too large, 40005 anything else. Its mediaid serves submit_audit only
    (modifyheadimage and setnickname refuse it with 40007)."""
    upload = call.request.FILES.get("media")
    if upload is None:
        raise PlatformError(MiniProgramError.MEDIA_MISSING, field="media")
    kind = media.VIDEO if media.claims_video(upload) else media.IMAGE
    most = policy.value(
        "submit.video_max_bytes" if kind == media.VIDEO else "submit.media_max_bytes"
    )
    if (upload.size or 0) > most:
        raise PlatformError(ReleaseError.REVIEW_MEDIA_SIZE, field="media", kb=most // 1024)
    try:
        stored = media.media_upload(
            actor=call.actor,
            miniprogram=call.miniprogram,
            upload=upload,
            media_type=kind,
            origin=media.REVIEW,
            max_bytes=most,
        )
    except PlatformError as refused:
        if refused.code in (MiniProgramError.IMAGE_INVALID, MiniProgramError.MEDIA_TYPE_INVALID):
            raise PlatformError(ReleaseError.REVIEW_MEDIA_TYPE, field="media") from None
        raise
    return {"type": stored.type, "mediaid": stored.media_id}


class AuditStatusBody(WireModel):
    auditid: str = ""


class AuditStatusResponse(BaseModel):
    errcode: int
    errmsg: str
    status: int
    reason: str | None = None
    screenshot: str | None = None


def _status(submission: Submission) -> dict[str, Any]:
    result: dict[str, Any] = {"status": submission.audit_status}
    if submission.state in (SubmissionState.REJECTED, SubmissionState.DELAYED):
        result["reason"] = reason_display(list(submission.reasons or []))
    if submission.state == SubmissionState.REJECTED:
        result["screenshot"] = ""
    return result


@post(
    "/wxa/get_auditstatus",
    body=AuditStatusBody,
    response=AuditStatusResponse,
    permission="versions.view",
    tags=TAGS,
)
def get_auditstatus(call: Call) -> dict:
    """One submission's status (0 approved, 1 rejected with `reason`, 2 in review, 3
    withdrawn, 4 delayed with `reason`); 85012 not an audit id of this mini program."""
    submission = selectors.submission_by_auditid(call.miniprogram, call.body.auditid)
    if submission is None:
        # An empty or missing auditid is named as such, not left blank in the message.
        raise PlatformError(ReleaseError.AUDIT_ID_INVALID, auditid=call.body.auditid[:40] or "-")
    return _status(submission)


class LatestAuditStatusResponse(AuditStatusResponse):
    auditid: int
    user_version: str
    user_desc: str
    submit_audit_time: int


@get(
    "/wxa/get_latest_auditstatus",
    response=LatestAuditStatusResponse,
    permission="versions.view",
    tags=TAGS,
    hot=True,  # polled by CI pipelines after every submission
)
def get_latest_auditstatus(call: Call) -> dict:
    """The latest submission's status with its audit id, version and time; 85012 when
    nothing was ever submitted."""
    submission = selectors.latest_audit_status(call.miniprogram)
    if submission is None:
        raise PlatformError(ReleaseError.AUDIT_ID_INVALID, auditid="-")
    return {
        "auditid": submission.auditid,
        **_status(submission),
        "user_version": submission.dev_version.user_version,
        "user_desc": submission.dev_version.user_desc,
        "submit_audit_time": int(submission.submitted_at.timestamp()),
    }


@get("/wxa/undocodeaudit", permission="versions.submit", tags=TAGS)
def undocodeaudit(call: Call) -> dict:
    """Withdraw the submission in review (its status becomes 3); 85019 none in review,
    87013 beyond the undo limits (a day, a month)."""
    submission = selectors.open_submission(call.miniprogram)
    if submission is None:
        raise PlatformError(ReleaseError.UNDO_NOTHING_OPEN)
    submission_withdraw(actor=call.actor, submission=submission)
    return {}


class SpeedUpBody(WireModel):
    auditid: str = ""


@post("/wxa/speedupaudit", body=SpeedUpBody, permission="versions.submit", tags=TAGS)
def speedupaudit(call: Call) -> dict:
    """Ask the desk to review the submission first: 89402 not this mini program's
    submission in review, 89404 asked already, 89405 the month's speed-ups used."""
    body: SpeedUpBody = call.body
    submission = selectors.submission_by_auditid(call.miniprogram, body.auditid)
    if submission is None:
        raise PlatformError(ReleaseError.SPEEDUP_NOT_IN_REVIEW)
    submission_speed_up(actor=call.actor, submission=submission)
    return {}


class QueryQuotaResponse(BaseModel):
    errcode: int
    errmsg: str
    rest: int
    limit: int
    speedup_rest: int
    speedup_limit: int


@get("/wxa/queryquota", response=QueryQuotaResponse, permission="versions.view", tags=TAGS)
def queryquota(call: Call) -> dict:
    """This month's review submissions and speed-ups left, and their limits."""
    return submission_quota(call.miniprogram)


class CodePrivacyInfoResponse(BaseModel):
    errcode: int
    errmsg: str
    without_auth_list: list[str]
    without_conf_list: list[str]


@get(
    "/wxa/security/get_code_privacy_info",
    response=CodePrivacyInfoResponse,
    permission="versions.view",
    tags=TAGS,
)
def get_code_privacy_info(call: Call) -> dict:
    """The privacy-sensitive interfaces the experience version's code calls (found when
    it was uploaded, so the scan is never unfinished here): none lacks an authorization
    (the platform grants every interface), and every one found still needs its line in
    the privacy declaration made at submission (privacy_api_not_use). 85086 before any
    commit."""
    experience = selectors.experience_of(call.miniprogram)
    if experience is None:
        raise PlatformError(ReleaseError.MUST_COMMIT_FIRST)
    manifest = PackageManifest.coerce(experience.dev_version.package.manifest)
    return {"without_auth_list": [], "without_conf_list": list(manifest.privacy_apis)}
