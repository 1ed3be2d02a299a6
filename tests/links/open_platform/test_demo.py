"""The demo data of the open platform (miniport/demo/open_platform.py): made once through
the services, idempotent, and the two bound apps share the UnionID (OPN-1, OPN-2)."""

from __future__ import annotations

from unittest import mock

from miniport.core.actors import Actor
from miniport.demo import open_platform as demo
from miniport.links.open_platform import selectors
from miniport.links.open_platform.models import OpenBinding


def test_opn1_the_demo_open_account_is_made_once_and_binds_both_apps(provision, make_identity):
    shop = provision("enterprise", certified=True).miniprogram
    app = provision("personal").miniprogram
    said: list[str] = []
    with mock.patch("miniport.demo.payments.shop_app", return_value=shop):
        assert demo.ensure_open_platform(
            actor=Actor.system("demo"), shop=shop, miniprogram=app, say=said.append
        )
        assert demo.open_platform_present()
        assert not demo.ensure_open_platform(
            actor=Actor.system("demo"), shop=shop, miniprogram=app, say=said.append
        )
        assert shop.appid in demo.summary() and app.appid in demo.summary()
    assert OpenBinding.objects.count() == 2
    user = make_identity()
    assert selectors.unionid_of(user.pk, shop.pk) == selectors.unionid_of(user.pk, app.pk) != ""
