"""The experience (trial) version (VER-2): one development version chosen for project
members and experience members to try.

`experience_set` refuses a development version of another mini program
(`ReleaseError.VERSION_NOT_FOUND`, 86001); choosing again replaces the choice (the
database keeps one experience row per mini program).
"""

from __future__ import annotations

from django.db import transaction

from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.releases.errors import ReleaseError
from miniport.releases.models import DevVersion, Experience

from .common import label_of, lock


def experience_set(
    *, actor: Actor, miniprogram: MiniProgram, dev_version: DevVersion
) -> Experience:
    """Make `dev_version` the mini program's experience version."""
    if dev_version is None or dev_version.miniprogram_id != miniprogram.pk:
        raise PlatformError(ReleaseError.VERSION_NOT_FOUND)
    with transaction.atomic():
        lock(miniprogram)
        previous = Experience.objects.filter(miniprogram=miniprogram).first()
        before = {"version": previous.dev_version_id} if previous else {}
        experience, _created = Experience.objects.update_or_create(
            miniprogram=miniprogram,
            defaults={"dev_version": dev_version, "set_by": label_of(actor), "set_at": clock.now()},
        )
        after = {
            "version": dev_version.pk,
            "user_version": dev_version.user_version,
            "user_desc": dev_version.user_desc,
        }
        audit.record(
            actor,
            "code.experience_set",
            target=experience,
            appid=miniprogram.appid,
            before=before,
            after=after,
        )
        events.emit(
            "code.experience_set", {"appid": miniprogram.appid, **after}, appid=miniprogram.appid
        )
    return experience
