"""Fixed personas and helpers shared by the whole suite."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.validators import make_id_number


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    """SMS and mail files of one test never leak into another."""
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.cache import cache

    from miniport.core import policy

    cache.clear()
    policy.forget_cached()


@pytest.fixture
def system_actor() -> Actor:
    return Actor.system("tests")


@pytest.fixture
def make_identity(db, system_actor):
    """Create a real-name, adult identity; override any field."""
    from datetime import date

    from miniport.identities import services

    counter = {"n": 0}

    def factory(
        wechat_id: str | None = None,
        *,
        real_name: str = "张三",
        born: date = date(1990, 5, 17),
        id_number: str | None = None,
        phone: str = "",
        password: str = "secret-pass-1",
        **extra,
    ):
        counter["n"] += 1
        wechat_id = wechat_id or f"user_{counter['n']:04d}"
        if id_number is None:
            id_number = make_id_number(born, sequence=100 + counter["n"])
        return services.identity_create(
            actor=system_actor,
            wechat_id=wechat_id,
            real_name=real_name,
            id_number=id_number,
            phone=phone,
            password=password,
            **extra,
        )

    return factory


@pytest.fixture
def provision(db, system_actor):
    """A fully registered, active mini program (what `miniport app create` makes)."""
    from miniport.miniprograms.services.provisioning import provision_miniprogram

    counter = {"n": 0}

    def factory(
        subject_type: str = "personal",
        *,
        certified: bool = False,
        admin_wechat_id: str = "",
        name: str | None = None,
    ):
        counter["n"] += 1
        return provision_miniprogram(
            actor=system_actor,
            name=name or f"测试小程序{counter['n']}",
            subject_type=subject_type,
            email=f"app{counter['n']}@example.com",
            admin_wechat_id=admin_wechat_id,
            certified=certified,
        )

    return factory
