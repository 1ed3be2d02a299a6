"""Settings › Development settings › Upload keys (B-10, VER-1): the key pairs with which
CI uploads code (`miniport upload`), like WeChat's code-upload key.

The administrator (`upload_keys.manage`) creates a key, whose private key is answered
once as a file download and never stored or shown again, and revokes keys after a
confirmation page; members who
see the development settings but may not manage keys get 403, others 404. The IP
whitelist of the development settings applies to every upload key.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from miniport.console.access import actor_of, console_view, owned_or_404
from miniport.console.forms.common import attach_error
from miniport.console.forms.upload_keys import UploadKeyForm
from miniport.console.views.common import page
from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import UploadKey
from miniport.miniprograms.services import devsettings, upload_keys


def _page(request, form: UploadKeyForm, *, status: int = 200):
    mp = request.miniprogram
    return page(
        request,
        "console/devsettings/upload_keys.html",
        status=status,
        form=form,
        keys=UploadKey.objects.filter(miniprogram=mp),
        active=upload_keys.active_keys(mp).count(),
        limit=policy.value("dev.upload_keys_max"),
        ip_whitelist=devsettings.settings_for(mp).ip_whitelist or [],
    )


@console_view(action="upload_keys.manage", visible_with="devsettings.view")
@require_GET
def upload_keys_page(request):
    """B-10: the mini program's upload keys and the form to make one."""
    return _page(request, UploadKeyForm())


@never_cache
@console_view(action="upload_keys.manage", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def upload_key_create(request):
    """B-10: a new key pair; the answer is the private key as a file, this once.

    A GET (the browser reloading the page a refused create answered, or following it
    after the download) is sent on to the list, which shows the keys made so far."""
    if request.method != "POST":
        return redirect("console:upload_keys")
    form = UploadKeyForm(request.POST)
    if form.is_valid():
        try:
            key, private_pem = upload_keys.upload_key_create(
                actor=actor_of(request),
                miniprogram=request.miniprogram,
                name=form.cleaned_data["name"],
            )
        except PlatformError as error:
            attach_error(form, error)
        else:
            download = HttpResponse(private_pem, content_type="application/x-pem-file")
            filename = f"miniport-upload-{request.miniprogram.appid}-{key.fingerprint[:8]}.key"
            download["Content-Disposition"] = f'attachment; filename="{filename}"'
            return download
    return _page(request, form, status=400)


@console_view(action="upload_keys.manage", visible_with="devsettings.view")
@require_http_methods(["GET", "POST"])
def upload_key_revoke(request, pk: int):
    """B-10: end a key at once; it stays listed as revoked. The list's Revoke leads to a
    confirmation page naming the key (GET); its button revokes (POST)."""
    key = owned_or_404(request, UploadKey, pk=pk)
    if request.method == "GET":
        revoked = key.revoked_at is not None
        return page(
            request,
            "console/devsettings/upload_key_revoke_confirm.html",
            key=key,
            refusal=_("The upload key %(name)s is already revoked.") % {"name": key.name}
            if revoked
            else "",
            status=409 if revoked else 200,
            back_url=reverse("console:upload_keys"),
        )
    upload_keys.upload_key_revoke(actor=actor_of(request), key=key)
    messages.success(request, _("The upload key %(name)s was revoked.") % {"name": key.name})
    return redirect("console:upload_keys")
