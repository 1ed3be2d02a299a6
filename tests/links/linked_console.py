"""A browser signed in to the linked consoles (official accounts, enterprises) as an
identity, as the linked sign-in's scan leaves it."""

from __future__ import annotations

from django.test import Client

from miniport.console.linked_access import LINKED_IDENTITY


def linked(identity, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    session = client.session
    session[LINKED_IDENTITY] = identity.pk
    session.save()
    return client
