"""The enterprise demo data: made once, through the services, with the demo mini program
on the workbench of one department."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.demo import enterprise as demo
from miniport.links.enterprise import selectors
from miniport.links.enterprise.models import Association, Enterprise

pytestmark = pytest.mark.django_db


def test_the_demo_enterprise_is_made_once_and_shows_the_app_to_its_department(
    live_app, make_identity
):
    dev, tester = make_identity("demo_dev"), make_identity("demo_tester")
    said: list[str] = []
    assert not demo.enterprise_present() and demo.summary() == ""
    assert demo.ensure_enterprise(
        actor=Actor.system("demo"), miniprogram=live_app.miniprogram, say=said.append
    )
    assert demo.enterprise_present()
    corp = Enterprise.objects.get()
    assert corp.corp_id in demo.summary()
    shown = {e.enterprise.pk: [mp.appid for mp in e.miniprograms] for e in selectors.workbench(dev)}
    assert shown == {corp.pk: [live_app.appid]}
    hidden = {e.enterprise.pk: e.miniprograms for e in selectors.workbench(tester)}
    assert hidden == {corp.pk: []}
    again = demo.ensure_enterprise(
        actor=Actor.system("demo"), miniprogram=live_app.miniprogram, say=said.append
    )
    assert again is False
    assert Enterprise.objects.count() == 1 and Association.objects.count() == 1


def test_without_an_online_version_the_demo_says_why_and_leaves_the_association_out(app):
    said: list[str] = []
    demo.ensure_enterprise(actor=Actor.system("demo"), miniprogram=app.miniprogram, say=said.append)
    assert not Association.objects.exists() and not demo.enterprise_present()
    assert any("no association" in line for line in said)
