"""Shared by the development settings tests: what a refused change must leave alone."""

from __future__ import annotations

from miniport.core.models import AuditEntry, QuotaCounter
from miniport.miniprograms.models import DevSettings, MiniProgram


def dev_state(miniprogram) -> dict:
    dev = DevSettings.objects.filter(miniprogram=miniprogram).values().first() or {}
    dev.pop("updated_at", None)
    mp = (
        MiniProgram.objects.filter(pk=miniprogram.pk).values("secret_digest", "secret_set_at").get()
    )
    return {
        "dev": dev,
        "secret": mp,
        "quota": sorted(QuotaCounter.objects.values_list("scope", "rule", "window", "used")),
        "audit": AuditEntry.objects.count(),
    }


def set_policy(key: str, value: int) -> None:
    """An operator override of a policy rule, as the ops desk sets it."""
    from miniport.core.actors import Actor
    from miniport.core.services import policy_set_override

    policy_set_override(actor=Actor.system("tests"), key=key, value=value)


def set_ip_whitelist(miniprogram, entries: list[str], *, actor=None) -> list[str]:
    """Change the API IP whitelist the way the console does: ask, the administrator
    confirms the ticket by scan, the asking browser session applies it."""
    from miniport.core.actors import Actor
    from miniport.identities import services as identity_services
    from miniport.miniprograms.services import devsettings

    actor = actor or Actor.for_identity(miniprogram.admin_identity)
    session = "whitelist-test-browser-session"
    ticket = devsettings.ip_whitelist_request(
        actor=actor, miniprogram=miniprogram, entries=entries, session_key=session
    )
    identity_services.ticket_confirm(identity=miniprogram.admin_identity, token=ticket.token)
    return devsettings.ip_whitelist_complete(
        actor=actor, miniprogram=miniprogram, ticket_token=ticket.token, session_key=session
    )
