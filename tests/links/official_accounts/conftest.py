"""Makers of the official-account tests (OA-1..OA-3)."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.links.official_accounts import services
from tests.links.makers import same_subject  # noqa: F401


@pytest.fixture
def make_oa(db, make_identity):
    """An official account: of its own subject, or of the same subject as `subject_of`."""
    counter = {"n": 0}

    def factory(*, subject_of=None, admin=None, name=None):
        counter["n"] += 1
        oa, secret = services.official_account_create(
            actor=Actor.system("tests"),
            name=name or f"测试公众号{counter['n']}",
            admin=admin or make_identity(f"oa_admin_{counter['n']}"),
            subject_of=subject_of,
        )
        oa.secret = secret  # type: ignore[attr-defined]
        return oa

    return factory
