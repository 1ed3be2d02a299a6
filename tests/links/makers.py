"""Makers shared by the tests of the links domain (open platform, official accounts,
enterprises)."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor


@pytest.fixture
def same_subject(db):
    """A new mini program of the same subject as `miniprogram` (what `miniport app create
    --subject-of APPID` makes)."""
    from miniport.miniprograms.services.provisioning import provision_miniprogram

    counter = {"n": 0}

    def factory(miniprogram, *, name: str | None = None):
        counter["n"] += 1
        return provision_miniprogram(
            actor=Actor.system("tests"),
            name=name or f"同主体小程序{counter['n']}",
            subject_type="",
            email=f"same{counter['n']}-{miniprogram.appid.lower()}@example.com",
            subject_of=miniprogram,
        )

    return factory


def linked_signin(client, identity, next_path: str = ""):
    """Sign a browser in to the official-account and enterprise consoles by the scan;
    returns the response of the last step."""
    from miniport.console.views.links import LINKED_TICKET
    from miniport.identities import services as identity_services

    query = f"?next={next_path}" if next_path else ""
    assert client.get(f"/linked/signin/{query}").status_code == 200
    identity_services.ticket_confirm(identity=identity, token=client.session[LINKED_TICKET])
    return client.post("/linked/signin/complete/")
