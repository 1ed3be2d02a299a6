"""B-8: the policy table, with the operator's overrides."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.core.models import PolicyOverride
from miniport.core.services import policy_clear_override, policy_set_override
from miniport.ops.access import actor_of, staff_required
from miniport.ops.forms.policy import PolicyOverrideForm
from miniport.web.sentences import sentence


def _table(request, *, refused_key: str = "", refused_form=None, status=200):
    # Read the overrides from the table itself: the page shows what is stored now,
    # not what a cache remembers.
    overrides = {row.key: row for row in PolicyOverride.objects.all()}
    rows = []
    for rule in policy.rules():
        override = overrides.get(rule.key)
        current = override.value if override is not None else rule.default
        form = refused_form if rule.key == refused_key else None
        rows.append(
            {
                "rule": rule,
                "current": current,
                "override": override,
                "form": form or PolicyOverrideForm(initial={"key": rule.key, "value": current}),
            }
        )
    return render(request, "ops/policy/table.html", {"rows": rows}, status=status)


@staff_required
def policy_table(request):
    return _table(request)


def _refused(request, error: PlatformError):
    key = request.POST.get("key", "").strip()
    if key not in policy.RULES_BY_KEY:
        # An unknown key has no row to show the message on.
        messages.error(request, error.message())
        return _table(request, status=400)
    form = PolicyOverrideForm({"key": key, "value": request.POST.get("value", "")[:30]})
    form.is_valid()
    form.add_error("value", error.message())
    # The row may sit far down the table: the message at the top names the rule too.
    said = sentence(error.message())
    messages.error(request, _("%(key)s: %(message)s") % {"key": key, "message": said})
    return _table(request, refused_key=key, refused_form=form, status=400)


@staff_required
@require_POST
def policy_set(request):
    # The service checks both the key and the value; the form only renders the row.
    key = request.POST.get("key", "").strip()
    try:
        policy_set_override(actor=actor_of(request), key=key, value=request.POST.get("value", ""))
    except PlatformError as error:
        return _refused(request, error)
    messages.success(
        request, _("%(key)s is now %(value)s.") % {"key": key, "value": policy.value(key)}
    )
    return redirect("ops:policy")


@staff_required
@require_POST
def policy_clear(request):
    key = request.POST.get("key", "").strip()
    try:
        cleared = policy_clear_override(actor=actor_of(request), key=key)
    except PlatformError as error:
        return _refused(request, error)
    if cleared:
        messages.success(request, _("%(key)s is back to its default.") % {"key": key})
    return redirect("ops:policy")
