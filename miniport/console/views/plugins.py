"""Settings › Third-party services › Plugin management (PLG-11): the plugins the mini
program added or applied for, with their status (applying with its age, approved,
refused with the reason, timed out), the search of released plugins (name, AppID,
category), the application with a reason, and unbinding.

Members who see settings (`plugins.view`) read the page; applying and unbinding need
`plugins.manage` (403 otherwise); others get 404."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.plugins import PluginApplyForm, PluginSearchForm
from miniport.console.views.common import page
from miniport.core.errors import PlatformError
from miniport.plugins.development.catalog import category_label
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.models import APPLICATION_LIVE_STATES
from miniport.plugins.usage import selectors, services

# The search's fields, carried by each application form so that a refused application
# shows the same search again (its query and its results).
SEARCH_FIELDS = ("q", "appid", "category", "page")


def _search_data(request):
    if request.method == "POST":
        data = {name: request.POST.get(f"search_{name}", "") for name in SEARCH_FIELDS}
        return data if any(data.values()) else None
    return request.GET or None


def _page(request, *, apply_form=None, status: int = 200):
    mp = request.miniprogram
    search = PluginSearchForm(_search_data(request))
    found = None
    if search.is_bound and search.is_valid():
        first, second = search.category_ids()
        found = selectors.plugin_search(
            query=search.cleaned_data.get("q") or "",
            appid=search.cleaned_data.get("appid") or "",
            category_first_id=first,
            category_second_id=second,
            page=search.cleaned_data.get("page") or 1,
        )
    applying_to = apply_form.data.get("plugin_appid", "") if apply_form is not None else ""
    rows = selectors.used_plugins(mp)
    # Plugins already added or applied for show their state instead of Apply.
    added = {
        row.plugin.appid: row
        for row in rows
        if selectors.effective_of(row) in APPLICATION_LIVE_STATES
    }
    return page(
        request,
        "console/plugins/index.html",
        status=status,
        rows=rows,
        results=[(plugin, added.get(plugin.appid)) for plugin in found.plugins] if found else [],
        search=search,
        search_values={
            name: (search.data.get(name, "") if search.is_bound else "") for name in SEARCH_FIELDS
        },
        found=found,
        categories=[
            {"value": f"{a}-{b}", "label": category_label(first, second)}
            for a, b, first, second in selectors.catalog_categories()
        ],
        selected_category=search.data.get("category", "") if search.is_bound else "",
        apply_form=apply_form or PluginApplyForm(),
        applying_to=applying_to,
        apply_in_results=any(plugin.appid == applying_to for plugin in found.plugins)
        if found
        else False,
        answer_hours=int(selectors.answer_window().total_seconds() // 3600),
    )


@console_view(action="plugins.view")
@require_GET
def plugins_page(request):
    """PLG-11: the added plugins and the search."""
    return _page(request)


@console_view(action="plugins.manage", visible_with="plugins.view")
@require_POST
def plugins_apply(request):
    """PLG-11: apply to use a plugin with a reason."""
    form = PluginApplyForm(request.POST)
    if form.is_valid():
        plugin = plugin_by_appid(form.cleaned_data["plugin_appid"])
        try:
            application = services.plugin_apply(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                plugin=plugin,
                reason=form.cleaned_data["reason"],
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            if application.status == selectors.S.APPROVED:
                messages.success(request, _("The plugin was added."))
            else:
                messages.success(request, _("The application was sent to the plugin's owner."))
            return redirect("console:plugins")
    return _page(request, apply_form=form, status=400)


@console_view(action="plugins.manage", visible_with="plugins.view")
@require_http_methods(["GET", "POST"])
def plugins_unbind(request):
    """PLG-11: remove a plugin (or withdraw its application). The row's button leads to
    a confirmation page (GET, `?plugin_appid=`) naming the plugin; its button removes it
    (POST)."""
    if request.method == "GET":
        plugin = plugin_by_appid(request.GET.get("plugin_appid", ""))
        refusal = selectors.unbind_refusal(plugin, request.miniprogram)
        application = (
            selectors.application_of(plugin, request.miniprogram)
            if plugin is not None and refusal is None
            else None
        )
        return page(
            request,
            "console/plugins/unbind_confirm.html",
            status=409 if refusal is not None else 200,
            plugin=plugin if refusal is None else None,
            applying=application is not None and application.status == selectors.S.APPLYING,
            refusal=refusal.message() if refusal is not None else "",
        )
    plugin = plugin_by_appid(request.POST.get("plugin_appid", ""))
    try:
        services.plugin_unbind(
            actor=actor_of(request), miniprogram=request.miniprogram, plugin=plugin
        )
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, _("The plugin was removed."))
    return redirect("console:plugins")
