"""A throw-away review kind, so the machine is tested without any domain's rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.review import registry
from tests.review.support import KIND, MEMBER, STUBBORN


@dataclass
class Calls:
    approved: list[str] = field(default_factory=list)
    rejected: list[tuple[str, list[str]]] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)


@pytest.fixture
def calls():
    seen = Calls()

    def approve(review, actor):
        if review.target_id == STUBBORN:
            raise PlatformError(CoreError.FIELD_INVALID, reason="stubborn")
        seen.approved.append(review.target_id)

    kind = registry.Kind(
        key=KIND,
        label="thing",
        describe=lambda review: registry.Description(
            title=f"thing {review.target_id}", appid=review.appid
        ),
        approve=approve,
        reject=lambda review, actor, reasons: seen.rejected.append((review.target_id, reasons)),
        is_member=lambda review, actor: actor == MEMBER and review.target_id.startswith("own-"),
        withdraw=lambda review, actor: seen.withdrawn.append(review.target_id),
    )
    registry.register(kind)
    yield seen
    registry.unregister(KIND)


@pytest.fixture
def alice():
    return Actor("staff", "101", "alice@miniport.example")


@pytest.fixture
def bob():
    return Actor("staff", "102", "bob@miniport.example")


@pytest.fixture
def developer():
    return Actor("identity", "7", "developer")
