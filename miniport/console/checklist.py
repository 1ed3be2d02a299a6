"""INF-9: the release checklist on the console home (seed 004, "小程序发布流程").

Each item says whether it is done when the platform can know it (`True`/`False`), or
`None` when it is guidance only, its data does not exist yet, or its page is one the
viewing roles may not open: whether the server domains are configured is development
settings content, which a data analyst never sees (MEM-5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.console import menu
from miniport.miniprograms import permissions, selectors
from miniport.miniprograms.models import (
    CategoryStatus,
    DevSettings,
    MemberStatus,
    MiniProgram,
    MiniProgramCategory,
)


@dataclass(frozen=True)
class Item:
    key: str
    title: str | Promise
    description: str | Promise
    done: bool | None
    url: str | None


@dataclass(frozen=True)
class _Spec:
    key: str
    title: str | Promise
    description: str | Promise
    menu_key: str | None
    done: Callable[[MiniProgram], bool | None]
    # A page outside the menu (URL name), for items without a menu entry.
    link: str | None = None


def _unknown(miniprogram: MiniProgram) -> None:
    return None


def _has_approved_category(miniprogram: MiniProgram) -> bool:
    return MiniProgramCategory.objects.filter(
        miniprogram=miniprogram, status=CategoryStatus.APPROVED
    ).exists()


def _has_developer(miniprogram: MiniProgram) -> bool:
    developers = selectors.project_members(miniprogram, permissions.DEVELOPER)
    return developers.filter(status=MemberStatus.ACTIVE).exists()


def _has_server_domain(miniprogram: MiniProgram) -> bool:
    settings = DevSettings.objects.filter(miniprogram=miniprogram).first()
    return settings is not None and any(settings.domains.values())


STEP_ONE = (
    _Spec(
        "information",
        _("Mini program information"),
        _(
            "Complete the basic information of the mini program, such as name, icon and description."
        ),
        "basic_settings",
        lambda mp: bool(mp.name),
    ),
    _Spec(
        "categories",
        _("Mini program categories"),
        _("Add the service categories of the mini program and set the main category."),
        "basic_settings",
        _has_approved_category,
    ),
    _Spec(
        "dev_tools",
        _("Command line and upload"),
        _(
            "Develop with the editor you like and upload the code with the miniport upload "
            "command and an upload key, or in version management."
        ),
        "dev_tools",
        _unknown,
    ),
    _Spec(
        "developers",
        _("Add developers"),
        _("Add developers who upload the code."),
        "members",
        _has_developer,
    ),
    _Spec(
        "server",
        _("Configure the server"),
        _(
            "See the AppID and AppSecret on the development settings page and configure the server domains."
        ),
        "dev_management",
        _has_server_domain,
    ),
    _Spec(
        "help",
        _("Help documents"),
        _(
            "Read the introduction, the development documents, the design guidelines and the operation rules."
        ),
        None,
        _unknown,
        link="console:help",
    ),
)
STEP_TWO = (
    _Spec(
        "release",
        _("Version release"),
        _("Upload the code first, then submit it for review; after approval it can be released."),
        "versions",
        lambda mp: mp.first_released_at is not None,
    ),
)


def _items(
    specs: tuple[_Spec, ...], miniprogram: MiniProgram, roles: frozenset[str] | None
) -> list[Item]:
    return [
        Item(
            key=spec.key,
            title=spec.title,
            description=spec.description,
            done=spec.done(miniprogram) if _may_know(spec, roles) else None,
            url=_url_of(spec, roles),
        )
        for spec in specs
    ]


def _url_of(spec: _Spec, roles: frozenset[str] | None) -> str | None:
    if spec.menu_key:
        return menu.entry_url(spec.menu_key, roles)
    return reverse(spec.link) if spec.link else None


def _may_know(spec: _Spec, roles: frozenset[str] | None) -> bool:
    """Whether an item's done state may be shown: only to roles that may open its page."""
    return spec.menu_key is None or menu.entry_allowed(spec.menu_key, roles)


def build(
    miniprogram: MiniProgram, roles: frozenset[str] | None = None
) -> list[tuple[str | Promise, list[Item]]]:
    return [
        (_("Step 1"), _items(STEP_ONE, miniprogram, roles)),
        (_("Step 2"), _items(STEP_TWO, miniprogram, roles)),
    ]
