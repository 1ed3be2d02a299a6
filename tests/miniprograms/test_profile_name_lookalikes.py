"""INF-2 "unique on the platform" against look-alike names: a character that prints
nothing (zero-width space, soft hyphen, byte order mark, direction override, controls,
line separators) is refused by the name rules every surface shares, and names are
compared up to width and case, so a full-width or differently cased copy is taken."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram, PendingName
from miniport.miniprograms.services import profile
from miniport.miniprograms.services.provisioning import provision_miniprogram
from tests.miniprograms.profile_support import (  # noqa: F401
    actor_of,
    company_app_fixture,
    fresh,
    personal_app_fixture,
    snapshot,
    staff_actor_fixture,
)

INVISIBLE = ["\u200b", "\u00ad", "\ufeff", "\u202e", "\u200d", "\u2066", "\x07", "\u2028", "\t"]


def request(mp, name):
    return profile.name_request(actor=actor_of(mp), miniprogram=mp, name=name)


def refused(call, code):
    with pytest.raises(PlatformError) as caught:
        call()
    assert caught.value.code == code
    return caught.value


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_with_an_invisible_character_inside_is_refused_and_nothing_changes(
    personal_app, char
):
    before = snapshot(personal_app)
    error = refused(lambda: request(personal_app, f"探{char}针二号"), MiniProgramError.NAME_INVALID)
    assert error.field == "name"
    assert "invisible or control characters" in error.message("en")
    assert "不可见字符或控制字符" in error.message("zh-hans")
    assert snapshot(personal_app) == before


@pytest.mark.parametrize("char", ["\u200b", "\ufeff", "\u00ad"], ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_at_either_end_is_refused_too(personal_app, char):
    """Only whitespace is trimmed; a zero-width character is no whitespace."""
    refused(lambda: request(personal_app, f"{char}探针二号"), MiniProgramError.NAME_INVALID)
    refused(lambda: request(personal_app, f"探针二号{char}"), MiniProgramError.NAME_INVALID)


def test_whitespace_around_a_name_is_still_trimmed_and_inner_spaces_kept_as_one(personal_app):
    review = request(personal_app, "\u3000 探针  三号\n ")
    assert profile.requested_name(review) == "探针 三号"


def test_checking_a_look_alike_of_a_held_name_is_refused(personal_app, provision):
    provision("enterprise", name="探针二号")
    for name in ["探\u200b针二号", "探针二号\u202e", "\ufeff探针二号"]:
        refused(
            lambda name=name: profile.name_check(name, miniprogram=personal_app),
            MiniProgramError.NAME_INVALID,
        )


@pytest.mark.parametrize(
    "held, asked",
    [
        ("Mini 书店", "ＭＩＮＩ 书店"),  # full-width and upper case
        ("Mini 书店", "mini\u3000书店"),  # ideographic space
        ("书店ABC", "书店abc"),
        ("Straße 书店", "STRASSE 书店"),  # case folding, not just lower()
    ],
)
def test_a_full_width_or_differently_cased_copy_of_a_held_name_is_taken(
    personal_app, provision, held, asked
):
    provision("enterprise", name=held)
    before = snapshot(personal_app)
    refused(lambda: request(personal_app, asked), MiniProgramError.NAME_TAKEN)
    refused(
        lambda: profile.name_check(asked, miniprogram=personal_app), MiniProgramError.NAME_TAKEN
    )
    assert snapshot(personal_app) == before


def test_a_look_alike_of_a_name_waiting_for_review_is_taken(personal_app, company_app):
    request(company_app, "Cloud 书店")
    refused(lambda: request(personal_app, "ＣＬＯＵＤ 书店"), MiniProgramError.NAME_TAKEN)
    assert PendingName.objects.count() == 1


def test_the_database_keeps_look_alike_names_apart_even_past_the_checks(
    personal_app, company_app, staff_actor
):
    """The keys are unique columns: a name written past the service's checks still
    cannot be held twice up to width and case."""
    from django.db import IntegrityError, transaction

    profile.name_review_approve(actor=staff_actor, review=request(company_app, "Mini 书店"))
    assert fresh(company_app).name_key == "mini 书店"
    mp = fresh(personal_app)
    mp.name = "ＭＩＮＩ 书店"
    with pytest.raises(IntegrityError), transaction.atomic():
        mp.save(update_fields=["name"])


def test_a_mini_program_may_change_the_case_of_its_own_name(personal_app, staff_actor):
    profile.name_review_approve(actor=staff_actor, review=request(personal_app, "Mini 书店"))
    review = request(fresh(personal_app), "MINI 书店")
    profile.name_review_approve(actor=staff_actor, review=review)
    assert fresh(personal_app).name == "MINI 书店"
    assert fresh(personal_app).name_key == "mini 书店"


def test_the_short_name_refuses_invisible_characters_too(personal_app):
    before = snapshot(personal_app)
    refused(
        lambda: profile.short_name_change(
            actor=actor_of(personal_app), miniprogram=personal_app, short_name="探\u200b针"
        ),
        MiniProgramError.SHORT_NAME_INVALID,
    )
    assert snapshot(personal_app) == before


def test_provisioning_refuses_invisible_characters_and_look_alikes(provision, system_actor):
    provision("enterprise", name="Probe 二号")
    count = MiniProgram.objects.count()

    def make(name):
        return lambda: provision_miniprogram(
            actor=system_actor, name=name, subject_type="personal", email="new@example.com"
        )

    refused(make("探\u200b针二号"), MiniProgramError.NAME_INVALID)
    refused(make("ＰＲＯＢＥ 二号"), MiniProgramError.NAME_TAKEN)
    assert MiniProgram.objects.count() == count
