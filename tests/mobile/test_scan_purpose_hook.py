"""What the scan page says confirming does comes from the purpose's registry entry: a
purpose may register `shows_for(payload)` for wording that depends on the ticket (adding
an experience member gives no role), and the phone page only asks the registry. (MEM-2)"""

from __future__ import annotations

import inspect

import pytest
from django.utils import translation

from miniport.identities import purposes
from miniport.miniprograms import purposes as miniprogram_purposes
from miniport.mobile.views import scan

EXPERIENCE = (
    "Confirming adds this person as an experience member: they may open the mini program's "
    "experience version."
)
WITH_ROLES = "Confirming adds this member to the mini program with the roles chosen."


@pytest.mark.parametrize(
    ("payload", "shown"),
    [
        ({"kind": "experience", "roles": []}, EXPERIENCE),
        ({"kind": "project", "roles": ["developer"]}, WITH_ROLES),
        ({}, WITH_ROLES),
        (None, WITH_ROLES),
        (["experience"], WITH_ROLES),  # not an object: the purpose's own words
    ],
)
def test_the_member_add_purpose_words_what_confirming_gives_per_payload(payload, shown):
    purpose = purposes.require(miniprogram_purposes.MEMBER_ADD)
    with translation.override("en"):
        assert str(purpose.shows_of(payload)) == shown


def test_the_wording_is_translated_in_the_purposes_domain():
    purpose = purposes.require(miniprogram_purposes.MEMBER_ADD)
    with translation.override("zh-hans"):
        assert str(purpose.shows_of({"kind": "experience"})) == (
            "确认后，此人将成为体验成员，可以打开小程序的体验版。"
        )


def test_a_purpose_without_the_hook_shows_its_registered_words():
    purpose = purposes.require(miniprogram_purposes.SECRET_RESET)
    assert purpose.shows_for is None
    assert purpose.shows_of({"kind": "experience"}) == purpose.shows


def test_the_scan_page_knows_no_purpose_by_name():
    source = inspect.getsource(scan)
    assert "member_add" not in source and "experience" not in source
