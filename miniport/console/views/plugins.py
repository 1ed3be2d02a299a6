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
from django.views.decorators.http import require_GET, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.plugins import PluginApplyForm, PluginSearchForm
from miniport.console.views.common import page
from miniport.core.errors import PlatformError
from miniport.plugins.development.selectors import plugin_by_appid
from miniport.plugins.usage import selectors, services


def _page(request, *, apply_form=None, status: int = 200):
    mp = request.miniprogram
    search = PluginSearchForm(request.GET or None)
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
    return page(
        request,
        "console/plugins/index.html",
        status=status,
        rows=selectors.used_plugins(mp),
        search=search,
        found=found,
        categories=[
            {"value": f"{a}-{b}", "label": f"{first} › {second}"}
            for a, b, first, second in selectors.catalog_categories()
        ],
        selected_category=request.GET.get("category", ""),
        apply_form=apply_form or PluginApplyForm(),
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
@require_POST
def plugins_unbind(request):
    """PLG-11: remove a plugin (or withdraw its application)."""
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
