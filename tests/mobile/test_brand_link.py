"""The brand in the phone pages' header leads to the phone home (/m/), not to the
developer console at /. (B-11)"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

PHONE_HOME = reverse("mobile:home")


def brand_link(html: str) -> str:
    return html.split('<a class="brand" href="', 1)[1].split('"', 1)[0]


def test_the_brand_of_a_phone_page_leads_to_the_phone_home(db):
    for name in ("mobile:login", "mobile:signup"):
        html = Client().get(reverse(name)).content.decode()
        assert brand_link(html) == PHONE_HOME == "/m/"


def test_the_brand_leads_to_the_phone_home_for_a_signed_in_identity(make_identity, phone_of):
    html = phone_of(make_identity()).get(PHONE_HOME).content.decode()
    assert brand_link(html) == PHONE_HOME


def test_the_console_brand_still_leads_to_the_console(db):
    html = Client().get(reverse("console:login")).content.decode()
    assert brand_link(html) == "/"


def test_the_error_pages_brand_leads_to_the_home_of_their_surface(db):
    """A phone address's 404 is a phone page: its brand leads to /m/, as its button."""
    assert brand_link(Client().get("/m/no-such-page/").content.decode()) == PHONE_HOME
    assert brand_link(Client().get("/ops/no-such-page/").content.decode()) == "/ops/"
    assert brand_link(Client().get("/no-such-page/").content.decode()) == "/"
