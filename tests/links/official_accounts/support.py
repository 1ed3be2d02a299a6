"""Helpers of the official-account tests."""

from __future__ import annotations

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.models import PolicyOverride
from miniport.identities import services as identity_services
from miniport.identities.models import QrTicket
from miniport.links.official_accounts import links


def request(oa, appid):
    return links.link_request(
        actor=Actor.for_identity(oa.admin_identity), official_account=oa, appid=appid
    )


def confirm(link):
    """The mini program's administrator scans and confirms the request's ticket."""
    ticket = QrTicket.objects.filter(purpose=links.CONFIRM, payload__link=link.pk).latest("id")
    identity_services.ticket_confirm(identity=link.miniprogram.admin_identity, token=ticket.token)
    link.refresh_from_db()
    return link


def limit(key, value):
    PolicyOverride.objects.create(key=key, value=value)
    policy.forget_cached()
