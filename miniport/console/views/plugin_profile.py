"""The plugin's Basic information and Development information tabs (PLG-1..PLG-5).

`console:plugin` shows the enabling form when the mini program has no plugin (PLG-1,
PLG-3: `plugin.view` opens it, `plugin.enable` — the administrator — enables), else the
basic information with the PLG-5 completeness checklist and its edit form
(`plugin.edit`). `console:plugin_dev` shows the server domains and Token, edited with
`plugin.develop`. Outsiders get 404; members who only see a page get 403 on its change.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.plugin_profile import (
    PluginBasicForm,
    PluginDevForm,
    PluginEditForm,
    attach_plugin_error,
)
from miniport.console.views.common import page
from miniport.console.views.plugin_common import plugin_context, plugin_or_404
from miniport.core.errors import PlatformError
from miniport.plugins.development import selectors, services
from miniport.plugins.development.catalog import category_label
from miniport.plugins.development.services import COMPLETENESS_FIELDS, plugin_is_complete
from miniport.plugins.models import Plugin

FIELD_LABELS = {
    "name": gettext_lazy("Plugin name"),
    "avatar": gettext_lazy("Plugin avatar"),
    "introduction": gettext_lazy("Introduction"),
    "add_method": gettext_lazy("Add method"),
    "service_contact": gettext_lazy("Customer service contact"),
}


def _checklist(plugin: Plugin) -> list[dict]:
    missing = set(plugin_is_complete(plugin))
    return [
        {"field": field, "label": FIELD_LABELS[field], "done": field not in missing}
        for field in COMPLETENESS_FIELDS
    ]


def _enable_page(request, form=None, *, status: int = 200):
    categories = services.plugin_categories_available(request.miniprogram)
    if form is None:
        form = PluginBasicForm(categories=categories)
    personal = request.miniprogram.subject.subject_type == "personal"
    return page(
        request,
        "console/plugin/profile/enable.html",
        status=status,
        **plugin_context(
            request,
            None,
            "basic",
            form=form,
            personal=personal,
            no_categories=not categories,
            can_enable=request.console.may("plugin.enable"),
        ),
    )


def _basic_page(request, plugin: Plugin, form=None, *, status: int = 200):
    categories = services.plugin_categories_available(plugin)
    if form is None:
        current = f"{plugin.category_first_id}:{plugin.category_second_id}"
        form = PluginEditForm(
            categories=categories,
            initial={
                "name": plugin.name,
                "introduction": plugin.introduction,
                "add_method": plugin.add_method,
                "service_contact": plugin.service_contact,
                "category": current if plugin.category_first_id else "",
            },
        )
    checklist = _checklist(plugin)
    category = (
        category_label(plugin.category_first_name, plugin.category_second_name)
        if plugin.category_first_name
        else ""
    )
    return page(
        request,
        "console/plugin/profile/basic.html",
        status=status,
        **plugin_context(
            request,
            plugin,
            "basic",
            form=form,
            checklist=checklist,
            complete=all(row["done"] for row in checklist),
            category_label=category,
            can_edit=request.console.may("plugin.edit"),
        ),
    )


@console_view(action="plugin.view")
@require_GET
def plugin(request):
    """PLG-3, PLG-5: the enabling form, or the plugin's basic information."""
    found = selectors.plugin_of(request.miniprogram)
    if found is None:
        return _enable_page(request)
    return _basic_page(request, found)


@console_view(action="plugin.enable", visible_with="plugin.view")
@require_POST
def plugin_enable(request):
    """PLG-1, PLG-3: enable the plugin with its basic information."""
    categories = services.plugin_categories_available(request.miniprogram)
    form = PluginBasicForm(request.POST, categories=categories)
    if not form.is_valid():
        return _enable_page(request, form, status=400)
    first, second = form.category_ids()
    try:
        created = services.plugin_enable(
            actor=actor_of(request),
            miniprogram=request.miniprogram,
            name=form.cleaned_data["name"],
            introduction=form.cleaned_data["introduction"],
            service_contact=form.cleaned_data["service_contact"],
            add_method=form.cleaned_data["add_method"],
            category_first_id=first,
            category_second_id=second,
        )
    except PlatformError as error:
        attach_plugin_error(form, error)
        return _enable_page(request, form, status=400)
    messages.success(
        request, _("The plugin was enabled; its AppID is %(appid)s.") % {"appid": created.appid}
    )
    return redirect("console:plugin")


@console_view(action="plugin.edit", visible_with="plugin.view")
@require_POST
def plugin_basic_edit(request):
    """PLG-5: change the basic information (name, avatar, introduction, add method,
    customer service contact, category)."""
    found = plugin_or_404(request)
    categories = services.plugin_categories_available(found)
    form = PluginEditForm(request.POST, request.FILES, categories=categories)
    if not form.is_valid():
        return _basic_page(request, found, form, status=400)
    first, second = form.category_ids()
    try:
        services.plugin_basic_update(
            actor=actor_of(request),
            plugin=found,
            name=form.cleaned_data["name"],
            introduction=form.cleaned_data["introduction"],
            service_contact=form.cleaned_data["service_contact"],
            add_method=form.cleaned_data["add_method"],
            category_first_id=first,
            category_second_id=second,
            avatar=form.cleaned_data.get("avatar"),
        )
    except PlatformError as error:
        attach_plugin_error(form, error)
        return _basic_page(request, found, form, status=400)
    messages.success(request, _("The plugin's basic information was saved."))
    return redirect("console:plugin")


def _dev_page(request, plugin: Plugin, form=None, *, status: int = 200):
    if form is None:
        form = PluginDevForm(
            initial={"server_domains": "\n".join(plugin.server_domains), "token": plugin.token}
        )
    return page(
        request,
        "console/plugin/profile/development.html",
        status=status,
        **plugin_context(
            request,
            plugin,
            "development",
            form=form,
            can_develop=request.console.may("plugin.develop"),
        ),
    )


@console_view(action="plugin.view")
@require_GET
def plugin_dev(request):
    """PLG-4: the plugin's server domains and Token."""
    return _dev_page(request, plugin_or_404(request))


@console_view(action="plugin.develop", visible_with="plugin.view")
@require_http_methods(["POST"])
def plugin_dev_edit(request):
    """PLG-4: change the server domains and the Token."""
    found = plugin_or_404(request)
    form = PluginDevForm(request.POST)
    if not form.is_valid():
        return _dev_page(request, found, form, status=400)
    try:
        services.plugin_devinfo_update(
            actor=actor_of(request),
            plugin=found,
            server_domains=form.domains(),
            token=form.cleaned_data["token"],
        )
    except PlatformError as error:
        attach_plugin_error(form, error)
        return _dev_page(request, found, form, status=400)
    messages.success(request, _("The plugin's development information was saved."))
    return redirect("console:plugin_dev")


@console_view(action="plugin.view")
@require_GET
def plugin_avatar(request):
    """The plugin's avatar, for the members who see its basic information."""
    found = plugin_or_404(request)
    name = found.avatar.name if found.avatar else ""
    if not name or not default_storage.exists(name):
        raise Http404("no avatar")
    kind = "image/jpeg" if name.endswith((".jpg", ".jpeg")) else "image/png"
    response = FileResponse(default_storage.open(name, "rb"), content_type=kind)
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
