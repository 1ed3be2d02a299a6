"""Merchants for tests, made directly as rows (a certified enterprise mini program with
an active merchant): the fixtures `make_merchant` and `shop`, offered by the conftest of
every test package that needs them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from miniport.core import clock
from miniport.payments.merchants.platform import new_api_key, new_mch_id
from miniport.payments.models import Merchant, MerchantKind


@dataclass
class Shop:
    """A merchant with its mini program, its key and a payer."""

    merchant: Merchant
    appid: str
    key: str
    miniprogram: object


@pytest.fixture
def make_merchant(db, provision):
    def factory(*, certified: bool = True, subject_type: str = "enterprise") -> Shop:
        provisioned = provision(subject_type, certified=certified)
        miniprogram = provisioned.miniprogram
        key = new_api_key()
        now = clock.now()
        merchant = Merchant.objects.create(
            mch_id=new_mch_id(),
            kind=MerchantKind.MINIPROGRAM,
            miniprogram=miniprogram,
            name=miniprogram.name,
            api_key=key,
            key_set_at=now,
            created_at=now,
        )
        return Shop(merchant=merchant, appid=miniprogram.appid, key=key, miniprogram=miniprogram)

    return factory


@pytest.fixture
def shop(make_merchant) -> Shop:
    return make_merchant()
