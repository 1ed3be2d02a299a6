"""Basic information and service categories (wechat-api 7 and 8), plus the temporary
media upload they take media_ids from (`/cgi-bin/media/upload`).

The handlers call the same services as the console, so a change made here uses the
same quota as one made in the console.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from pydantic import BaseModel

from miniport.core import clock, policy
from miniport.core.errors import CoreError, ErrorCode, PlatformError
from miniport.miniprograms import catalog, selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import avatar, categories, material, media, profile
from miniport.payments.certification.selectors import renewal_opens_at
from miniport.review.models import ReviewState
from miniport.web.api import Call, WireModel, get, post, route

# wechat-api 7.1: principal_type (0 individual, 1 enterprise, 2 media, 3 government, 4 other).
PRINCIPAL_TYPES = {
    "personal": 0,
    "enterprise": 1,
    "individual_business": 1,
    "media": 2,
    "government": 3,
    "other": 4,
}
# registered_country as WeChat numbers it; only the mainland is known for sure.
COUNTRY_NUMBERS = {"CN": 1017}
NAME_AUDIT_STATUS: dict[str, int] = {
    ReviewState.PENDING: 1,
    ReviewState.REJECTED: 2,
    ReviewState.APPROVED: 3,
}
# setnickname answers with the 91xxx family where checkwxverifynickname uses 53xxx.
SETNICKNAME_CODES: dict[ErrorCode, ErrorCode] = {
    MiniProgramError.NAME_INVALID: MiniProgramError.NICKNAME_ILLEGAL,
    MiniProgramError.NAME_TAKEN: MiniProgramError.NICKNAME_TAKEN,
}
# audit_id: a number, or a string of ASCII digits ("²" and "١" are digits to str.isdigit).
AUDIT_ID = re.compile(r"[0-9]{1,18}")
TAGS = ("basic info",)
CATEGORY_TAGS = ("categories",)


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _usage(allowance: profile.Allowance) -> dict:
    return {"modify_used_count": allowance.used, "modify_quota": allowance.limit}


# --- 7.1 getaccountbasicinfo -------------------------------------------------------


class QuotaInfo(BaseModel):
    modify_used_count: int
    modify_quota: int


class BasicInfoResponse(BaseModel):
    errcode: int
    errmsg: str
    appid: str
    account_type: int
    principal_type: int
    principal_name: str
    realname_status: int
    wx_verify_info: dict
    signature_info: dict
    head_image_info: dict
    nickname: str
    nickname_info: dict
    registered_country: int
    credential: str
    customer_type: int


@route(
    "/cgi-bin/account/getaccountbasicinfo",
    methods=("GET", "POST"),
    permission="profile.view",
    response=BasicInfoResponse,
    tags=TAGS,
)
def getaccountbasicinfo(call: Call) -> dict:
    """The mini program's basic information with the change counts of each field."""
    mp = call.miniprogram
    subject = mp.subject
    left = profile.allowances(mp)
    certified = subject.is_certified
    avatar_url = _absolute(material.avatar_url(mp)) if mp.avatar.name else ""
    return {
        "appid": mp.appid,
        "account_type": 3,
        "principal_type": PRINCIPAL_TYPES.get(subject.subject_type, 4),
        "principal_name": subject.masked_name
        if subject.subject_type == "personal"
        else subject.name,
        "realname_status": 1 if mp.is_active else 2,
        "wx_verify_info": wx_verify_info(subject),
        "signature_info": {"signature": mp.introduction, **_usage(left["introduction"])},
        "head_image_info": {"head_image_url": avatar_url, **_usage(left["avatar"])},
        "nickname": mp.name or "",
        "nickname_info": {"nickname": mp.name or "", **_usage(left["name"])},
        "registered_country": COUNTRY_NUMBERS.get(subject.country, 0),
        "credential": subject.credit_code if subject.subject_type != "personal" else "",
        "customer_type": PRINCIPAL_TYPES.get(subject.subject_type, 4) if certified else 0,
    }


def wx_verify_info(subject) -> dict:
    """CER-1 over the wire: certified while the term runs (expiry computed when read);
    the annual review is the renewal window, from `renewal_window_days` before the end
    of the term to the end, in unix seconds; `annual_review` is true inside it."""
    certified = subject.is_certified
    opens = renewal_opens_at(subject) if certified else None
    if opens is None:
        begin = end = 0
    else:
        begin, end = int(opens.timestamp()), int(subject.certified_until.timestamp())
    return {
        "qualification_verify": certified,
        "naming_verify": certified,
        "annual_review": bool(opens is not None and clock.now() >= opens),
        "annual_review_begin_time": begin,
        "annual_review_end_time": end,
    }


# --- 7.2 / 7.3 / 7.4 names ---------------------------------------------------------


class SetNicknameBody(WireModel):
    nick_name: str = ""
    id_card: str = ""
    license: str = ""
    naming_other_stuff_1: str = ""
    naming_other_stuff_2: str = ""
    naming_other_stuff_3: str = ""
    naming_other_stuff_4: str = ""
    naming_other_stuff_5: str = ""


class SetNicknameResponse(BaseModel):
    errcode: int
    errmsg: str
    wording: str
    audit_id: int


@post(
    "/wxa/setnickname",
    body=SetNicknameBody,
    response=SetNicknameResponse,
    permission="profile.edit",
    tags=TAGS,
)
def setnickname(call: Call) -> dict:
    """Ask for a new name; it takes effect when the platform's reviewers approve it
    (the answer always carries an audit_id). `id_card` (personal subjects) or `license`
    (organisations) is required (91009); all material goes to the reviewers."""
    body: SetNicknameBody = call.body
    material = {name: getattr(body, name) for name in profile.NAMING_MATERIAL}
    try:
        review = profile.name_request_with_material(
            actor=call.actor, miniprogram=call.miniprogram, name=body.nick_name, material=material
        )
    except PlatformError as error:
        if error.code in SETNICKNAME_CODES:
            raise PlatformError(SETNICKNAME_CODES[error.code], field=error.field, **error.params)
        raise
    return {"wording": "", "audit_id": review.pk}


class QueryNicknameBody(WireModel):
    audit_id: str = ""


class QueryNicknameResponse(BaseModel):
    errcode: int
    errmsg: str
    nickname: str
    audit_stat: int
    fail_reason: str
    create_time: int
    audit_time: int


@post(
    "/wxa/api_wxa_querynickname",
    body=QueryNicknameBody,
    response=QueryNicknameResponse,
    permission="profile.view",
    tags=TAGS,
)
def api_wxa_querynickname(call: Call) -> dict:
    """The state of a name review started by setnickname."""
    body: QueryNicknameBody = call.body
    review = None
    audit_id = body.audit_id.strip()
    if AUDIT_ID.fullmatch(audit_id):
        review = selectors.name_review_of(call.miniprogram, int(audit_id))
    if review is None:
        raise PlatformError(MiniProgramError.NAME_AUDIT_NOT_FOUND)
    return {
        "nickname": profile.requested_name(review),
        # A withdrawn request did not pass: WeChat knows only the three states.
        "audit_stat": NAME_AUDIT_STATUS.get(review.state, 2),
        "fail_reason": review.reason_text,
        "create_time": int(review.submitted_at.timestamp()),
        "audit_time": int(review.decided_at.timestamp()) if review.decided_at else 0,
    }


class CheckNicknameBody(WireModel):
    nick_name: str = ""


class CheckNicknameResponse(BaseModel):
    errcode: int
    errmsg: str
    hit_condition: bool
    wording: str


@post(
    "/cgi-bin/wxverify/checkwxverifynickname",
    body=CheckNicknameBody,
    response=CheckNicknameResponse,
    permission="profile.view",
    tags=TAGS,
)
def checkwxverifynickname(call: Call) -> dict:
    """Whether a name may be requested: format (53010) and availability (53013)."""
    body: CheckNicknameBody = call.body
    profile.name_check(body.nick_name, miniprogram=call.miniprogram)
    return {"hit_condition": False, "wording": ""}


# --- 7.5 / 7.6 avatar and introduction ---------------------------------------------


class HeadImageBody(WireModel):
    head_img_media_id: str = ""
    x1: Any = None
    y1: Any = None
    x2: Any = None
    y2: Any = None


def _crop_box(body: HeadImageBody) -> avatar.Box | None:
    raw = (body.x1, body.y1, body.x2, body.y2)
    if all(v in (None, "") for v in raw):
        return None
    try:
        x1, y1, x2, y2 = (float(v) for v in raw)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer past float's
        raise PlatformError(CoreError.INVALID_ARGS, field="x1")
    if (x1, y1, x2, y2) == (0, 0, 0, 0):
        return None
    return (x1, y1, x2, y2)


@post("/cgi-bin/account/modifyheadimage", body=HeadImageBody, permission="profile.edit", tags=TAGS)
def modifyheadimage(call: Call) -> dict:
    """Set the avatar from an uploaded temporary image, cropped by the fractional box. The
    media_id must come from /cgi-bin/media/upload: one from /wxa/uploadmedia is 40007
    (wechat-api 7.5)."""
    body: HeadImageBody = call.body
    box = _crop_box(body)
    stored = media.media_get(
        call.miniprogram,
        body.head_img_media_id,
        field="head_img_media_id",
        origins=(media.TEMPORARY,),
        types=(media.IMAGE,),
    )
    avatar.avatar_change(
        actor=call.actor, miniprogram=call.miniprogram, upload=stored.data, box=box
    )
    return {}


class SignatureBody(WireModel):
    signature: str = ""


@post("/cgi-bin/account/modifysignature", body=SignatureBody, permission="profile.edit", tags=TAGS)
def modifysignature(call: Call) -> dict:
    """Change the introduction (4 to 120 characters, 5 times a month)."""
    body: SignatureBody = call.body
    profile.introduction_change(
        actor=call.actor, miniprogram=call.miniprogram, introduction=body.signature
    )
    return {}


# --- media upload ------------------------------------------------------------------


class MediaUploadResponse(BaseModel):
    type: str
    media_id: str
    created_at: int


@post(
    "/cgi-bin/media/upload",
    permission="profile.edit",
    envelope=False,
    response=MediaUploadResponse,
    tags=("media",),
)
def media_upload(call: Call) -> dict:
    """Upload a temporary image (multipart field `media`, `?type=image`); its media_id
    serves modifyheadimage, addcategory and setnickname."""
    media_type = call.request.GET.get("type", "")
    if media_type not in media.TYPES:
        raise PlatformError(MiniProgramError.MEDIA_TYPE_INVALID, field="type")
    upload = call.request.FILES.get("media")
    if upload is None:
        raise PlatformError(MiniProgramError.MEDIA_MISSING, field="media")
    stored = media.media_upload(
        actor=call.actor, miniprogram=call.miniprogram, upload=upload, media_type=media_type
    )
    return stored.as_wire()


# --- 8 categories ------------------------------------------------------------------


@get("/cgi-bin/wxopen/getallcategories", permission="profile.view", tags=CATEGORY_TAGS)
def getallcategories(call: Call) -> dict:
    """The catalog open to this mini program's kind of subject."""
    tree = catalog.catalog_for(call.miniprogram.subject)
    return {"categories_list": {"categories": tree.nodes}}


@get("/cgi-bin/wxopen/getcategory", permission="profile.view", tags=CATEGORY_TAGS)
def getcategory(call: Call) -> dict:
    """The categories already set, with this month's additions left."""
    mp = call.miniprogram
    left = profile.allowances(mp)["categories"]
    return {
        "categories": [
            {
                "first": row.first_id,
                "first_name": row.first_name,
                "second": row.second_id,
                "second_name": row.second_name,
                "audit_status": categories.WIRE_STATUS[row.status],
                "audit_reason": row.reason,
            }
            for row in categories.categories_of(mp)
        ],
        "limit": left.limit,
        "quota": left.remaining,
        "category_limit": policy.value("categories.max"),
    }


class AddCategoryBody(WireModel):
    categories: Any = None


def _certificates(raw: Any) -> list:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certicates")
    return raw


@post(
    "/cgi-bin/wxopen/addcategory",
    body=AddCategoryBody,
    permission="categories.edit",
    tags=CATEGORY_TAGS,
)
def addcategory(call: Call) -> dict:
    """Add categories (all or none); sensitive ones need `certicates` (sic) and go to review."""
    raw = call.body.categories
    if not isinstance(raw, list) or not raw or not all(isinstance(item, dict) for item in raw):
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="categories")
    additions = [
        categories.Addition(
            first=item.get("first"),
            second=item.get("second"),
            certificates=_certificates(item.get("certicates")),
        )
        for item in raw
    ]
    categories.categories_add(actor=call.actor, miniprogram=call.miniprogram, additions=additions)
    return {}


class CategoryBody(WireModel):
    first: Any = None
    second: Any = None
    certicates: Any = None


@post(
    "/cgi-bin/wxopen/deletecategory",
    body=CategoryBody,
    permission="categories.edit",
    tags=CATEGORY_TAGS,
)
def deletecategory(call: Call) -> dict:
    """Delete a category; one under review cannot be deleted (53308)."""
    body: CategoryBody = call.body
    categories.category_delete(
        actor=call.actor, miniprogram=call.miniprogram, first=body.first, second=body.second
    )
    return {}


@post(
    "/cgi-bin/wxopen/modifycategory",
    body=CategoryBody,
    permission="categories.edit",
    tags=CATEGORY_TAGS,
)
def modifycategory(call: Call) -> dict:
    """Replace the qualifications of a rejected category (53307 otherwise)."""
    body: CategoryBody = call.body
    categories.category_modify(
        actor=call.actor,
        miniprogram=call.miniprogram,
        first=body.first,
        second=body.second,
        certificates=_certificates(body.certicates),
    )
    return {}
