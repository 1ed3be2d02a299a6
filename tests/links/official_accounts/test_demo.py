"""The official-account demo (OA-1..OA-3): created through the services, idempotent,
with the demo mini program linked and in the menu."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.demo import official_accounts as demo
from miniport.links.official_accounts import selectors

pytestmark = pytest.mark.django_db


def test_oa3_the_demo_links_the_mini_program_and_runs_twice_without_creating_anything(provision):
    mp = provision("enterprise").miniprogram
    said: list[str] = []
    assert not demo.official_accounts_present()
    assert demo.ensure_official_accounts(
        actor=Actor.system("demo"), miniprogram=mp, say=said.append
    )
    assert demo.official_accounts_present()
    oa = selectors.official_accounts_of(mp.admin_identity).get()
    assert selectors.is_linked(oa.appid, mp) and oa.menu[0]["appid"] == mp.appid
    assert oa.appid in demo.summary() and len(said) == 3
    assert not demo.ensure_official_accounts(
        actor=Actor.system("demo"), miniprogram=mp, say=said.append
    )
    assert len(said) == 3
