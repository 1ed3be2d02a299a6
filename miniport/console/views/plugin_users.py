"""The plugin's users and settings tabs (PLG-9, B-9), owner side.

Users: the applications to the plugin (status with its age, applicant AppID and name,
reason, the applicant's categories), approved or refused with a reason
(`plugin.applications`), refused and timed-out ones deleted, approved users unbound.
Settings: the approval policy, manual, auto-approve or allowlist with its AppIDs
(`plugin.edit`). Every member who sees the plugin (`plugin.view`) reads both; a mini
program without a plugin gets 404 (`plugin_or_404`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miniport.console.access import actor_of, console_view
from miniport.console.forms.common import attach_error
from miniport.console.forms.plugins import PolicyForm, RefuseForm
from miniport.console.views.common import page
from miniport.console.views.plugin_common import plugin_context, plugin_or_404
from miniport.core.errors import PlatformError
from miniport.plugins.models import PluginApplication
from miniport.plugins.usage import selectors, services
from miniport.plugins.usage.errors import UsageError


def _application(plugin, pk: int) -> PluginApplication:
    found = (
        PluginApplication.objects.select_related("miniprogram", "plugin")
        .filter(plugin=plugin, pk=pk, status__in=selectors.LISTED_STATES)
        .first()
    )
    if found is None:
        raise Http404("no such application")
    return found


def _users_page(request, plugin, *, refuse_form=None, refusing: int | None = None, status=200):
    rows = [
        (row, selectors.applicant_categories(row.miniprogram))
        for row in selectors.plugin_users(plugin)
    ]
    return page(
        request,
        "console/plugin/users/index.html",
        status=status,
        **plugin_context(
            request,
            plugin,
            "users",
            rows=rows,
            refuse_form=refuse_form or RefuseForm(),
            refusing=refusing,
            answer_hours=int(selectors.answer_window().total_seconds() // 3600),
        ),
    )


@console_view(action="plugin.view")
@require_GET
def plugin_users(request):
    """PLG-9: the applications and users of the plugin."""
    return _users_page(request, plugin_or_404(request))


def _answer(request, pk: int, call, success: str):
    """Run `call(actor=..., plugin=..., application=...)` on one listed application of
    the plugin and go back to the users tab with its refusal or `success`."""
    plugin = plugin_or_404(request)
    application = _application(plugin, pk)
    try:
        call(actor=actor_of(request), plugin=plugin, application=application)
    except PlatformError as error:
        messages.error(request, error.message())
    else:
        messages.success(request, success)
    return redirect("console:plugin_users")


def _unbind(*, actor, plugin, application):
    services.plugin_unbind(
        actor=actor, miniprogram=application.miniprogram, plugin=plugin, by_owner=True
    )


@console_view(action="plugin.applications", visible_with="plugin.view")
@require_POST
def plugin_users_agree(request, pk: int):
    return _answer(
        request, pk, services.plugin_application_agree, _("The application was approved.")
    )


@console_view(action="plugin.applications", visible_with="plugin.view")
@require_POST
def plugin_users_refuse(request, pk: int):
    plugin = plugin_or_404(request)
    application = _application(plugin, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.plugin_application_refuse(
                actor=actor_of(request),
                plugin=plugin,
                application=application,
                reason=form.cleaned_data["reason"],
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The application was refused."))
            return redirect("console:plugin_users")
    return _users_page(request, plugin, refuse_form=form, refusing=application.pk, status=400)


@console_view(action="plugin.applications", visible_with="plugin.view")
@require_POST
def plugin_users_delete(request, pk: int):
    return _answer(
        request, pk, services.plugin_application_delete, _("The application was deleted.")
    )


@console_view(action="plugin.applications", visible_with="plugin.view")
@require_http_methods(["GET", "POST"])
def plugin_users_unbind(request, pk: int):
    """PLG-9: unbind an approved user. The Unbind button leads to a confirmation page
    (GET) naming the mini program that loses the plugin; its button unbinds (POST)."""
    if request.method == "POST":
        return _answer(request, pk, _unbind, _("The user was unbound."))
    plugin = plugin_or_404(request)
    application = _application(plugin, pk)
    refusal = selectors.unbind_refusal(plugin, application.miniprogram, by_owner=True)
    if refusal is None and selectors.effective_of(application) != selectors.S.APPROVED:
        # An older row of the pair: the live one is another application.
        refusal = PlatformError(UsageError.NOT_IN_APPLY_LIST)
    return page(
        request,
        "console/plugin/users/unbind_confirm.html",
        status=409 if refusal is not None else 200,
        **plugin_context(
            request,
            plugin,
            "users",
            application=application,
            refusal=refusal.message() if refusal is not None else "",
        ),
    )


def _settings_page(request, plugin, form, *, status: int = 200):
    return page(
        request,
        "console/plugin/users/settings.html",
        status=status,
        **plugin_context(request, plugin, "settings", form=form),
    )


@console_view(action="plugin.view")
@require_GET
def plugin_settings(request):
    """B-9: the approval policy of applications."""
    plugin = plugin_or_404(request)
    form = PolicyForm(
        initial={
            "approval_policy": plugin.approval_policy,
            "allowlist": "\n".join(plugin.allowlist or []),
        }
    )
    return _settings_page(request, plugin, form)


@console_view(action="plugin.edit", visible_with="plugin.view")
@require_POST
def plugin_settings_save(request):
    """B-9: save the approval policy (the allowlist's AppIDs validated)."""
    plugin = plugin_or_404(request)
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            services.plugin_policy_update(
                actor=actor_of(request),
                plugin=plugin,
                approval_policy=form.cleaned_data["approval_policy"],
                allowlist=form.cleaned_data["allowlist"],
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The approval policy was saved."))
            return redirect("console:plugin_settings")
    return _settings_page(request, plugin, form, status=400)
