"""DEV-3: the console's server-domain form names an invalid domain on its list even when
every entry of that list is invalid (the API answers "nothing to modify" then; the
console says which domain is wrong), in both languages, and saves nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS
from tests.console.conftest import en_client, zh_client
from tests.miniprograms.conftest import console_login
from tests.miniprograms.devsettings_support import dev_state

pytestmark = pytest.mark.django_db

EMPTY = {name: "" for name in DOMAIN_FIELDS}
PAGE = "/settings/dev/domains/"


@pytest.fixture
def app(provision):
    return provision("personal")


def admin(app, make_client) -> Client:
    client = make_client()
    console_login(client, app.miniprogram.admin_identity, app.miniprogram.appid)
    return client


def errors_of(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


@pytest.mark.parametrize(
    ("make_client", "lang"), [(zh_client, "zh-hans"), (en_client, "en")], ids=["zh", "en"]
)
@pytest.mark.parametrize(
    "domain", ["http://api.example.com", "https://127.0.0.1", "https://bad domain"]
)
def test_a_list_of_only_an_invalid_domain_names_that_domain(app, make_client, lang, domain):
    client = admin(app, make_client)
    before = dev_state(app.miniprogram)
    response = client.post(PAGE, {**EMPTY, "requestdomain": domain})
    assert response.status_code == 200
    expected = MiniProgramError.DOMAIN_INVALID.message(lang, domain=domain)
    assert errors_of(response, "requestdomain") == [expected]
    assert not response.context["form"].non_field_errors()
    nothing = MiniProgramError.DOMAIN_NOTHING_TO_MODIFY.message(lang)
    assert nothing not in response.content.decode()
    assert dev_state(app.miniprogram) == before


def test_the_invalid_only_list_reads_like_the_mixed_one(app):
    """The same message whether or not a valid domain stands beside the invalid one."""
    client = admin(app, zh_client)
    before = dev_state(app.miniprogram)
    alone = client.post(PAGE, {**EMPTY, "requestdomain": "http://api.example.com"})
    mixed = client.post(
        PAGE, {**EMPTY, "requestdomain": "https://ok.example.com\nhttp://api.example.com"}
    )
    assert errors_of(alone, "requestdomain") == errors_of(mixed, "requestdomain")
    assert errors_of(alone, "requestdomain") == ["域名不合法：http://api.example.com"]
    assert dev_state(app.miniprogram) == before


def test_every_list_with_an_invalid_domain_is_named_at_once(app):
    client = admin(app, en_client)
    before = dev_state(app.miniprogram)
    response = client.post(
        PAGE,
        {
            **EMPTY,
            "requestdomain": "https://ok.example.com\nhttps://bad domain",
            "uploaddomain": "https://10.1.1.1",
        },
    )
    assert errors_of(response, "requestdomain") == ["invalid domain: https://bad domain"]
    assert errors_of(response, "uploaddomain") == ["invalid domain: https://10.1.1.1"]
    assert dev_state(app.miniprogram) == before


def test_valid_lists_are_still_saved(app):
    client = admin(app, en_client)
    response = client.post(PAGE, {**EMPTY, "requestdomain": "https://ok.example.com"})
    assert response.status_code == 302
