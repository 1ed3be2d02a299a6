# ruff: noqa: F811 - the plugin makers are fixtures imported by name
"""FP-3, FP-5, FP-11 on the phone: a super-app user walks through a plugin's functional
page (the plugin, the owner mini program, what is asked), confirms or cancels, and sees
the result; each FP-11 outcome and each refusal has its page; the page speaks one
language (B-11)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from miniport.identities.selectors import openid_for
from miniport.miniprograms.models import LoginCode
from miniport.payments.models import Order, TradeState
from tests.i18n.test_one_language_per_page import offending
from tests.plugins.functional.support import (
    body,
    grant_payment,
    make_scene,
    merchant_of_owner,
    owner_order,
    release_owner,
    signed_args,
)
from tests.plugins.makers import make_owner, make_plugin  # noqa: F401


@pytest.fixture
def scene(make_plugin, provision, make_identity):
    scene = make_scene(make_plugin, provision, make_identity)
    release_owner(scene.owner)
    return scene


def url(data: dict) -> str:
    data = {k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in data.items()}
    return f"{reverse('mobile:functional')}?{urlencode(data)}"


def post_data(data: dict, decision: str) -> dict:
    data = {k: (json.dumps(v) if isinstance(v, dict) else v) for k, v in data.items()}
    return {**data, "decision": decision}


def test_fp3_the_login_page_shows_what_is_shared_and_confirm_signs_in(scene, phone_of):
    phone = phone_of(scene.person)
    page = phone.get(url(body(scene)))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="functional-page"' in html
    assert scene.owner.plugin.name in html and scene.owner.miniprogram.name in html
    assert openid_for(scene.person, scene.owner.appid) in html
    assert not LoginCode.objects.exists()
    done = phone.post(reverse("mobile:functional"), post_data(body(scene), "confirm"))
    assert 'data-outcome="ok"' in done.content.decode()
    assert LoginCode.objects.get().miniprogram_id == scene.owner.miniprogram.pk


def test_fp5_cancel_shares_nothing(scene, phone_of):
    done = phone_of(scene.person).post(
        reverse("mobile:functional"), post_data(body(scene), "cancel")
    )
    assert 'data-outcome="cancelled"' in done.content.decode()
    assert not LoginCode.objects.exists()


def test_fp9_the_payment_page_shows_payee_amount_and_item_then_pays(scene, phone_of):
    grant_payment(scene.owner)
    merchant_of_owner(scene.owner)
    order = owner_order(scene.owner, scene.person, total_fee=990, body="插件会员月卡")
    data = body(scene, name="requestPayment", args={"paymentArgs": signed_args(order)})
    phone = phone_of(scene.person)
    html = phone.get(url(data)).content.decode()
    assert "¥9.90" in html and "插件会员月卡" in html
    assert Order.objects.get(pk=order.pk).trade_state == TradeState.NOTPAY
    done = phone.post(reverse("mobile:functional"), post_data(data, "confirm")).content.decode()
    paid = Order.objects.get(pk=order.pk)
    assert paid.trade_state == TradeState.SUCCESS
    assert paid.transaction_id in done


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"name": "getPhoneNumber"}, "back_button_only"),
        ({"version": "develop"}, "page_not_found"),
        ({"name": "requestPayment"}, "function_unavailable"),
    ],
)
def test_fp11_outcomes_have_their_own_page(scene, phone_of, change, outcome):
    html = phone_of(scene.person).get(url({**body(scene), **change})).content.decode()
    assert f'data-outcome="{outcome}"' in html


def test_fp11_the_owner_itself_gets_nothing(scene, phone_of):
    data = {**body(scene), "appid": scene.owner.appid}
    html = phone_of(scene.person).get(url(data)).content.decode()
    assert 'data-outcome="same_appid"' in html


def test_a_refusal_has_its_page_not_a_server_error(scene, phone_of):
    response = phone_of(scene.person).get(reverse("mobile:functional"))
    assert response.status_code == 200
    assert 'data-testid="functional-refused"' in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_functional_page_speaks_one_language(scene, phone_of, language):
    phone = phone_of(scene.person, language=language)
    html = phone.get(url(body(scene))).content.decode()
    assert f'<html lang="{language}">' in html
    users = {
        scene.owner.plugin.name,
        scene.owner.miniprogram.name,
        scene.person.nickname,
        openid_for(scene.person, scene.owner.appid),
    }
    assert offending(html, language, users) == []
    if language == "en":
        assert "Sign in to the plugin" in html
    else:
        assert "登录插件" in html


def test_fp7_a_member_enters_the_owners_development_version_on_the_phone(scene, phone_of):
    from miniport.plugins.models import FunctionalPreview
    from tests.plugins.functional.support import upload_owner
    from tests.releases.version_support import add_member

    upload_owner(scene.owner, "0.3.0")
    phone = phone_of(scene.person)
    develop = phone.get(url(body(scene, version="develop"))).content.decode()
    assert 'data-outcome="page_not_found"' in develop
    link = reverse("mobile:functional_preview", args=[scene.owner.appid])
    assert link in develop
    refused = phone.post(link).content.decode()
    assert 'data-code="LAUNCH_NOT_MEMBER"' in refused
    assert not FunctionalPreview.objects.exists()
    add_member(scene.owner.miniprogram, scene.person, kind="experience")
    assert 'data-testid="functional-preview-open"' in phone.get(link).content.decode()
    done = phone.post(link).content.decode()
    assert 'data-version="0.3.0"' in done
    again = phone.get(url(body(scene, version="develop"))).content.decode()
    assert 'data-testid="functional-page"' in again


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_preview_page_speaks_one_language(scene, phone_of, language):
    from tests.plugins.functional.support import upload_owner

    upload_owner(scene.owner, "0.3.0")
    phone = phone_of(scene.owner.developer, language=language)
    link = reverse("mobile:functional_preview", args=[scene.owner.appid])
    developer = scene.owner.developer
    users = {scene.owner.miniprogram.name, developer.nickname, developer.real_name}
    for response in (phone.get(link), phone.post(link)):
        html = response.content.decode()
        assert response.status_code == 200 and f'<html lang="{language}">' in html
        assert offending(html, language, users) == []
