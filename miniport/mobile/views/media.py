"""The public avatar images of mini programs (getaccountbasicinfo's head_image_url, the
launch page); routed from `miniport/urls.py` at the storage's own URL."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from miniport.miniprograms.services import material


@require_GET
def avatar(request: HttpRequest, filename: str) -> FileResponse:
    """A mini program's current avatar, public (getaccountbasicinfo's head_image_url)."""
    name = material.public_avatar(filename)
    if name is None:
        raise Http404
    content_type = "image/jpeg" if name.endswith(".jpg") else "image/png"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Every new avatar gets a new name, so a stored one never changes.
    response["Cache-Control"] = "public, max-age=86400"
    return response
