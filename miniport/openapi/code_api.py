"""Code management of the server API: commit from the template library, the template
library itself, the experience version's QR code, pages, categories and version info
(wechat-api 4.1..4.4, 4.13, 13; VER-1, VER-2, VER-7). Review is `audit_api`, release
`release_api`.

The caller is the app (role "app"). Its template library is shared with the mini
programs of the same administrator (`releases.template_selectors`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from pydantic import BaseModel, Field

from miniport.core import qr
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.services import material
from miniport.releases import selectors, template_selectors
from miniport.releases.errors import ReleaseError
from miniport.releases.models import TemplateType
from miniport.releases.packages.manifest import PackageManifest
from miniport.releases.services import templates
from miniport.releases.services.submission import approved_categories
from miniport.web.api import Call, WireModel, get, post, route

TAGS = ("code",)
TEMPLATE_TAGS = ("templates",)


def _stamp(moment) -> int:
    return int(moment.timestamp()) if moment is not None else 0


# --- commit ----------------------------------------------------------------------------


class CommitBody(WireModel):
    template_id: str = ""
    # A string holding one JSON object (not an object): WeChat's wire form.
    ext_json: Any = Field("", json_schema_extra={"type": "string"})
    user_version: str = ""
    user_desc: str = ""


@post("/wxa/commit", body=CommitBody, permission="versions.upload", tags=TAGS)
def commit(call: Call) -> dict:
    """Upload a template of the library, with `ext_json` written as the package's
    ext.json, as a development version and make it the experience version; 85014 no
    such template, 85048 ext_json not a JSON object string, 85013 wrong extAppid or
    section, 85045 a page the template lacks, 85046 a tabBar page not among the pages,
    85047 empty pages, 9402203 a standard template's extra keys."""
    body: CommitBody = call.body
    templates.template_commit(
        actor=call.actor,
        miniprogram=call.miniprogram,
        template_id=body.template_id,
        ext_json=body.ext_json,
        user_version=body.user_version,
        user_desc=body.user_desc,
    )
    return {}


# --- the template library (wechat-api 13) ----------------------------------------------


class Draft(BaseModel):
    create_time: int
    user_version: str
    user_desc: str
    draft_id: int
    source_miniprogram_appid: str
    source_miniprogram: str
    developer: str


class DraftListResponse(BaseModel):
    errcode: int
    errmsg: str
    draft_list: list[Draft]


@get(
    "/wxa/gettemplatedraftlist",
    response=DraftListResponse,
    permission="versions.upload",
    tags=TEMPLATE_TAGS,
)
def gettemplatedraftlist(call: Call) -> dict:
    """The drafts of the library: development versions uploaded by developers to the
    mini programs of the caller's administrator, newest first (at most 100)."""
    drafts = template_selectors.drafts_of(call.miniprogram)[: template_selectors.DRAFT_LIST_LIMIT]
    return {
        "draft_list": [
            {
                "create_time": _stamp(draft.uploaded_at),
                "user_version": draft.user_version,
                "user_desc": draft.user_desc,
                "draft_id": draft.pk,
                "source_miniprogram_appid": draft.miniprogram.appid,
                "source_miniprogram": draft.miniprogram.name or "",
                "developer": draft.developer_label,
            }
            for draft in drafts
        ]
    }


class TemplateListQuery(WireModel):
    template_type: str = ""


class TemplateRow(BaseModel):
    create_time: int
    user_version: str
    user_desc: str
    template_id: int
    template_type: int
    source_miniprogram_appid: str
    source_miniprogram: str
    developer: str
    audit_scene: int
    audit_status: int
    reason: str


class TemplateListResponse(BaseModel):
    errcode: int
    errmsg: str
    template_list: list[TemplateRow]


@get(
    "/wxa/gettemplatelist",
    query=TemplateListQuery,
    response=TemplateListResponse,
    permission="versions.upload",
    tags=TEMPLATE_TAGS,
)
def gettemplatelist(call: Call) -> dict:
    """The library's templates, newest first; `template_type` 0 or 1 lists one type."""
    raw = call.query.template_type.strip()
    if raw and raw not in {str(value) for value in TemplateType.values}:
        raise PlatformError(CoreError.INVALID_ARGS, field="template_type")
    rows = template_selectors.templates_of(call.miniprogram, int(raw) if raw else None)
    return {
        "template_list": [
            {
                "create_time": _stamp(row.created_at),
                "user_version": row.user_version,
                "user_desc": row.user_desc,
                "template_id": row.pk,
                "template_type": row.template_type,
                "source_miniprogram_appid": row.source_miniprogram.appid,
                "source_miniprogram": row.source_miniprogram.name or "",
                "developer": row.developer_label,
                # Templates need no review of their own here: usable at once.
                "audit_scene": 0,
                "audit_status": 0,
                "reason": "",
            }
            for row in rows
        ]
    }


class AddToTemplateBody(WireModel):
    draft_id: str = ""
    template_type: str = ""


@post(
    "/wxa/addtotemplate",
    body=AddToTemplateBody,
    permission="versions.upload",
    tags=TEMPLATE_TAGS,
)
def addtotemplate(call: Call) -> dict:
    """Keep a draft as a template; 85064 no such draft, 85065 library full."""
    templates.template_add(
        actor=call.actor,
        miniprogram=call.miniprogram,
        draft_id=call.body.draft_id,
        template_type=call.body.template_type,
    )
    return {}


class DeleteTemplateBody(WireModel):
    template_id: str = ""


@post(
    "/wxa/deletetemplate",
    body=DeleteTemplateBody,
    permission="versions.upload",
    tags=TEMPLATE_TAGS,
)
def deletetemplate(call: Call) -> dict:
    """Take a template out of the library; 85064 no such template."""
    templates.template_delete(
        actor=call.actor, miniprogram=call.miniprogram, template_id=call.body.template_id
    )
    return {}


# --- the experience version (wechat-api 4.2..4.4, 4.13) ----------------------------------


def _experience(call: Call):
    experience = selectors.experience_of(call.miniprogram)
    if experience is None:
        raise PlatformError(ReleaseError.EXPERIENCE_NOT_SET)
    return experience


class QrcodeQuery(WireModel):
    # The page (and query) the code opens, e.g. "pages/index/index?id=1".
    path: str = Field("", max_length=512)


# GET with `path` in the query string as documented; some SDKs POST it as JSON instead
# (wechat-api note 10), so both are answered alike.
@route(
    "/wxa/get_qrcode",
    methods=("GET", "POST"),
    query=QrcodeQuery,
    body=QrcodeQuery,
    permission="versions.view",
    tags=TAGS,
)
def get_qrcode(call: Call) -> HttpResponse:
    """The experience version's QR code as a JPEG image (the phone page that opens the
    trial version); errors as JSON, 86001 before anything is committed. `path` in the
    query string, or in a POSTed JSON body."""
    _experience(call)
    url = material.trial_url(call.miniprogram)
    path = (call.body.path if call.body is not None else "") or call.query.path
    if path:
        url += "?" + urlencode({"path": path})
    # wechat-api 4.2: raw JPEG, named QRCode.jpg.
    image = qr.jpeg_bytes(url)
    response = HttpResponse(image, content_type="image/jpeg")
    response["Content-Disposition"] = 'attachment; filename="QRCode.jpg"'
    response["Cache-Control"] = "no-cache, must-revalidate"
    return response


class PageListResponse(BaseModel):
    errcode: int
    errmsg: str
    page_list: list[str]


@get("/wxa/get_page", response=PageListResponse, permission="versions.view", tags=TAGS)
def get_page(call: Call) -> dict:
    """The pages of the experience version's package (main package, then subpackages);
    86001 before anything is committed."""
    manifest = PackageManifest.coerce(_experience(call).dev_version.package.manifest)
    return {"page_list": list(manifest.all_pages)}


class AuditCategory(BaseModel):
    first_class: str
    second_class: str
    first_id: int
    second_id: int


class CategoryListResponse(BaseModel):
    errcode: int
    errmsg: str
    category_list: list[AuditCategory]


@get("/wxa/get_category", response=CategoryListResponse, permission="versions.view", tags=TAGS)
def get_category(call: Call) -> dict:
    """The mini program's approved categories: the ones submit_audit accepts."""
    approved = approved_categories(call.miniprogram)
    names = {
        (c.first_id, c.second_id): c
        for c in call.miniprogram.categories.all()
        if (c.first_id, c.second_id) in approved
    }
    return {
        "category_list": [
            {
                "first_class": row.first_name,
                "second_class": row.second_name,
                "first_id": row.first_id,
                "second_id": row.second_id,
            }
            for row in names.values()
        ]
    }


class EmptyBody(WireModel):
    """A literal `{}`: WeChat requires a body even where there is nothing to send."""


class ExpInfo(BaseModel):
    exp_time: int
    exp_version: str
    exp_desc: str


class ReleaseInfo(BaseModel):
    release_time: int
    release_version: str
    release_desc: str


class VersionInfoResponse(BaseModel):
    errcode: int
    errmsg: str
    exp_info: ExpInfo | None = None
    release_info: ReleaseInfo | None = None


@post(
    "/wxa/getversioninfo",
    body=EmptyBody,
    response=VersionInfoResponse,
    permission="versions.view",
    tags=TAGS,
)
def getversioninfo(call: Call) -> dict:
    """The experience version (`exp_info`) and the online version (`release_info`),
    each when there is one (VER-7)."""
    result: dict[str, Any] = {}
    experience = selectors.experience_of(call.miniprogram)
    if experience is not None:
        result["exp_info"] = {
            "exp_time": _stamp(experience.set_at),
            "exp_version": experience.dev_version.user_version,
            "exp_desc": experience.dev_version.user_desc,
        }
    online = selectors.online_version(call.miniprogram)
    if online is not None:
        result["release_info"] = {
            "release_time": _stamp(online.released_at),
            "release_version": online.user_version,
            "release_desc": online.user_desc,
        }
    return result
