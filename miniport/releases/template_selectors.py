"""Reads of the template library (wechat-api 13): whose drafts and templates a mini
program sees.

A library is shared by the mini programs of one administrator (Miniport's stand-in for
WeChat's third-party platform, which owns its library and commits to the mini programs
it manages): drafts are their development versions uploaded by developers (not those
committed from a template), templates those added from such drafts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from miniport.core.validators import whole_number
from miniport.miniprograms.models import MiniProgram
from miniport.releases.models import DevVersion, Template, VersionSource

DRAFT_LIST_LIMIT = 100


def library_of(miniprogram: MiniProgram) -> QuerySet[MiniProgram]:
    """The mini programs whose drafts and templates `miniprogram` shares."""
    return MiniProgram.objects.filter(admin_identity_id=miniprogram.admin_identity_id)


def _number(value: Any) -> int | None:
    """A row id as the wire sends it (a number or its ASCII digits), else None."""
    number = whole_number(value)
    return number if number is not None and 0 < number < 2**63 else None


def drafts_of(miniprogram: MiniProgram) -> QuerySet[DevVersion]:
    """The library's drafts, newest first (gettemplatedraftlist)."""
    return (
        DevVersion.objects.filter(miniprogram__in=library_of(miniprogram))
        .exclude(source=VersionSource.TEMPLATE)
        .select_related("miniprogram", "package")
        .order_by("-uploaded_at", "-id")
    )


def draft_of(miniprogram: MiniProgram, draft_id: Any) -> DevVersion | None:
    number = _number(draft_id)
    return None if number is None else drafts_of(miniprogram).filter(pk=number).first()


def templates_of(miniprogram: MiniProgram, template_type: int | None = None) -> QuerySet[Template]:
    """The library's templates, newest first (gettemplatelist)."""
    rows = Template.objects.filter(source_miniprogram__in=library_of(miniprogram))
    if template_type is not None:
        rows = rows.filter(template_type=template_type)
    return rows.select_related("source_miniprogram", "package").order_by("-created_at", "-id")


def template_of(miniprogram: MiniProgram, template_id: Any) -> Template | None:
    number = _number(template_id)
    return None if number is None else templates_of(miniprogram).filter(pk=number).first()
