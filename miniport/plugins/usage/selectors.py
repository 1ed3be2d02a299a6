"""Reading plugin usage (PLG-9, PLG-11, B-9).

An application still "applying" after `plugin.application_answer_hours` is timed out:
its effective status is computed here, when read (`effective_status`, the `effective`
annotation of `with_effective`), never by a sweep. The wire's status numbers are those
of wechat-api section 9: 1 applying, 2 approved, 3 refused, 4 timed out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When

from miniport.core import clock, policy
from miniport.core.errors import PlatformError
from miniport.plugins.models import (
    APPLICATION_LIVE_STATES,
    AddMethod,
    Plugin,
    PluginApplication,
    PluginApplicationStatus,
    PluginRelease,
)
from miniport.plugins.usage.errors import UsageError

S = PluginApplicationStatus
WIRE_STATUS: dict[str, int] = {S.APPLYING: 1, S.APPROVED: 2, S.REFUSED: 3, S.EXPIRED: 4}
# What a list shows: an unbound application is history, not a status of the wire.
LISTED_STATES: tuple[str, ...] = (S.APPLYING, S.APPROVED, S.REFUSED, S.EXPIRED)


def answer_window() -> timedelta:
    return timedelta(hours=policy.value("plugin.application_answer_hours"))


def cutoff(now: datetime | None = None) -> datetime:
    """Applications made at or before this moment and still applying are timed out."""
    return (now or clock.now()) - answer_window()


def effective_status(application: PluginApplication, now: datetime | None = None) -> str:
    """PLG-9: the status as read now (an unanswered application times out)."""
    if application.status == S.APPLYING and application.created_at <= cutoff(now):
        return S.EXPIRED
    return application.status


def age(application: PluginApplication, now: datetime | None = None) -> timedelta:
    """How long ago the application was made."""
    return (now or clock.now()) - application.created_at


def expires_at(application: PluginApplication) -> datetime:
    return application.created_at + answer_window()


def with_effective(queryset: QuerySet[PluginApplication]) -> QuerySet[PluginApplication]:
    """The applications annotated with `effective`, their status as read now."""
    return queryset.annotate(
        effective=Case(
            When(status=S.APPLYING, created_at__lte=cutoff(), then=Value(S.EXPIRED.value)),
            default="status",
            output_field=CharField(),
        )
    )


def effective_of(application: PluginApplication) -> str:
    """The `effective` annotation of a row read through `with_effective`, else computed."""
    return getattr(application, "effective", None) or effective_status(application)


def is_live_now(application: PluginApplication) -> bool:
    """Holds a place: approved, or applying and not timed out."""
    return effective_status(application) in APPLICATION_LIVE_STATES


def live_now_q() -> Q:
    return Q(status=S.APPROVED) | Q(status=S.APPLYING, created_at__gt=cutoff())


def has_release(plugin: Plugin) -> bool:
    return PluginRelease.objects.filter(plugin=plugin).exists()


def application_of(plugin: Plugin, miniprogram: Any) -> PluginApplication | None:
    """The pair's newest listed application (the live one when there is one)."""
    rows = PluginApplication.objects.filter(
        plugin=plugin, miniprogram=miniprogram, status__in=LISTED_STATES
    )
    return rows.filter(status__in=APPLICATION_LIVE_STATES).first() or rows.first()


def unbind_refusal(
    plugin: Plugin | None, miniprogram: Any, *, by_owner: bool = False
) -> PlatformError | None:
    """Why `plugin_unbind` would refuse now (the confirmation pages say it before the
    button): no such plugin; the pair has no approved application (the owner's side) or
    no approved or applying one (the user's side)."""
    if plugin is None:
        return PlatformError(UsageError.PLUGIN_NOT_FOUND, field="plugin_appid")
    live = PluginApplication.objects.filter(
        plugin=plugin, miniprogram=miniprogram, status__in=APPLICATION_LIVE_STATES
    ).first()
    allowed = (S.APPROVED,) if by_owner else (S.APPROVED, S.APPLYING)
    if live is None or effective_status(live) not in allowed:
        error = UsageError.NOT_IN_APPLY_LIST if by_owner else UsageError.NOT_ADDED
        return PlatformError(error, field="appid" if by_owner else "plugin_appid")
    return None


def approved(plugin: Plugin, miniprogram: Any) -> bool:
    return PluginApplication.objects.filter(
        plugin=plugin, miniprogram=miniprogram, status=S.APPROVED
    ).exists()


def _latest_per_pair(rows) -> list[PluginApplication]:
    seen: set[tuple[int, int]] = set()
    latest = []
    for row in rows:
        key = (row.plugin_id, row.miniprogram_id)
        if key in seen:
            continue
        seen.add(key)
        latest.append(row)
    return latest


def used_plugins(miniprogram: Any) -> list[PluginApplication]:
    """PLG-11: the plugins the mini program added or applied for, newest first, one row
    per plugin (its newest application), each with `effective`. A plugin whose newest
    application was unbound (removed by the mini program, or its user unbound by the
    owner) is not listed: an earlier refusal is history, not its status."""
    rows = with_effective(
        PluginApplication.objects.select_related("plugin").filter(
            miniprogram=miniprogram, status__in=(*LISTED_STATES, S.UNBOUND)
        )
    ).order_by("-created_at", "-id")
    return [row for row in _latest_per_pair(rows) if row.status != S.UNBOUND]


def plugin_users(plugin: Plugin) -> QuerySet[PluginApplication]:
    """PLG-9: the applications to the plugin, newest first, each with `effective` (one
    per mini program is the rule: a pair's older closed rows stay listed until deleted)."""
    return with_effective(
        PluginApplication.objects.select_related("miniprogram").filter(
            plugin=plugin, status__in=LISTED_STATES
        )
    ).order_by("-created_at", "-id")


def in_use_count(miniprogram: Any) -> int:
    return PluginApplication.objects.filter(live_now_q(), miniprogram=miniprogram).count()


def applicant_categories(miniprogram: Any) -> list[dict[str, str]]:
    from miniport.miniprograms.models import CategoryStatus, MiniProgramCategory

    rows = MiniProgramCategory.objects.filter(
        miniprogram=miniprogram, status=CategoryStatus.APPROVED
    ).values_list("first_name", "second_name")
    return [{"first": first, "second": second} for first, second in rows]


# --- search (PLG-11) -------------------------------------------------------------------


def _page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class SearchPage:
    plugins: list[Plugin]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return _page_count(self.total, self.per_page)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def searchable() -> QuerySet[Plugin]:
    """Plugins with a released version (only those can be applied for)."""
    released = PluginRelease.objects.filter(plugin=OuterRef("pk"))
    return Plugin.objects.filter(Exists(released))


def plugin_search(
    *,
    query: str = "",
    appid: str = "",
    category_first_id: int | None = None,
    category_second_id: int | None = None,
    page: int = 1,
    per_page: int | None = None,
) -> SearchPage:
    """PLG-11: released plugins by name (contains), AppID (exact) and category. A plugin
    added by AppID only is found by its exact AppID and never by name or category."""
    per_page = per_page or policy.value("plugin.search_page_size")
    page = max(1, int(page or 1))
    rows = searchable()
    appid = (appid or "").strip()
    query = (query or "").strip()
    if appid:
        rows = rows.filter(appid=appid)
    else:
        rows = rows.filter(add_method=AddMethod.SEARCH)
        if query:
            rows = rows.filter(name__icontains=query)
    if category_first_id is not None:
        rows = rows.filter(category_first_id=category_first_id)
    if category_second_id is not None:
        rows = rows.filter(category_second_id=category_second_id)
    rows = rows.order_by("name", "id")
    total = rows.count()
    # A page past the last shows the last (a made-up page number of any size included:
    # its offset would not fit the database's integer).
    page = min(page, _page_count(total, per_page))
    start = (page - 1) * per_page
    return SearchPage(list(rows[start : start + per_page]), page, per_page, total)


def catalog_categories() -> list[tuple[int, int, str, str]]:
    """The (first id, second id, first name, second name) of released plugins' categories,
    for the search form."""
    rows = (
        searchable()
        .filter(add_method=AddMethod.SEARCH, category_first_id__isnull=False)
        .values_list(
            "category_first_id", "category_second_id", "category_first_name", "category_second_name"
        )
        .distinct()
    )
    found: set[tuple[int, int, str, str]] = {
        (int(a), int(b), first, second)
        for a, b, first, second in rows
        if a is not None and b is not None
    }
    return sorted(found, key=lambda row: (row[2], row[3]))


# --- launch and submission (the plugins a version declares) ----------------------------


@dataclass(frozen=True)
class LoadablePlugin:
    name: str  # the alias of app.json's `plugins`
    provider: str
    version: str
    sha256: str
    size: int


def loadable_plugins(miniprogram: Any, declarations) -> list[LoadablePlugin]:
    """The declared plugins the mini program may load: its application approved and the
    declared version released. Others are left out (the launch names what it may load)."""
    declared = list(declarations or ())
    if not declared:
        return []
    providers = {d.provider for d in declared}
    allowed = set(
        PluginApplication.objects.filter(
            miniprogram=miniprogram, status=S.APPROVED, plugin__appid__in=providers
        ).values_list("plugin__appid", flat=True)
    )
    releases = {
        (r.plugin.appid, r.user_version): r
        for r in PluginRelease.objects.select_related("plugin", "version__package").filter(
            plugin__appid__in=allowed
        )
    }
    found = []
    for declaration in declared:
        release = releases.get((declaration.provider, declaration.version))
        if release is None:
            continue
        package = release.version.package
        found.append(
            LoadablePlugin(
                name=declaration.name,
                provider=declaration.provider,
                version=declaration.version,
                sha256=package.sha256,
                size=package.size,
            )
        )
    return found
