"""Server domains and web-view domains (wechat-api 6.1, 6.2; DEV-3)."""

from __future__ import annotations

from pydantic import BaseModel

from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS
from miniport.miniprograms.services import devsettings
from miniport.web.api import Call, WireModel, post


class ModifyDomainBody(WireModel):
    action: str = ""
    requestdomain: list[str] | None = None
    wsrequestdomain: list[str] | None = None
    uploaddomain: list[str] | None = None
    downloaddomain: list[str] | None = None
    udpdomain: list[str] | None = None
    tcpdomain: list[str] | None = None


class ModifyDomainResponse(BaseModel):
    errcode: int
    errmsg: str
    requestdomain: list[str]
    wsrequestdomain: list[str]
    uploaddomain: list[str]
    downloaddomain: list[str]
    udpdomain: list[str]
    tcpdomain: list[str]
    invalid_requestdomain: list[str]
    invalid_wsrequestdomain: list[str]
    invalid_uploaddomain: list[str]
    invalid_downloaddomain: list[str]
    invalid_udpdomain: list[str]
    invalid_tcpdomain: list[str]


class WebviewDomainBody(WireModel):
    action: str = ""
    webviewdomain: list[str] | None = None


class WebviewDomainResponse(BaseModel):
    errcode: int
    errmsg: str
    webviewdomain: list[str]


@post(
    "/wxa/modify_domain",
    body=ModifyDomainBody,
    response=ModifyDomainResponse,
    permission="devsettings.edit",
    tags=("domains",),
)
def modify_domain(call: Call) -> dict:
    """Get, set, add or delete the server domains; entries that fail the rules come back
    in the invalid_* lists."""
    body: ModifyDomainBody = call.body
    change = devsettings.domains_modify(
        actor=call.actor,
        miniprogram=call.miniprogram,
        action=body.action,
        requested={name: getattr(body, name) for name in DOMAIN_FIELDS},
    )
    result: dict = dict(change.domains)
    result.update({f"invalid_{name}": change.invalid[name] for name in DOMAIN_FIELDS})
    return result


@post(
    "/wxa/setwebviewdomain",
    body=WebviewDomainBody,
    response=WebviewDomainResponse,
    permission="devsettings.edit",
    tags=("domains",),
)
def setwebviewdomain(call: Call) -> dict:
    """Get, set, add or delete the business (web-view) domains."""
    body: WebviewDomainBody = call.body
    domains = devsettings.webview_domains_modify(
        actor=call.actor,
        miniprogram=call.miniprogram,
        action=body.action,
        domains=body.webviewdomain,
    )
    return {"webviewdomain": domains}
