"""Who performs an action. Every service takes one explicitly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    kind: str  # "account", "identity", "staff", "app", "system", "anonymous"
    id: str = ""
    label: str = ""

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls("system", "", label)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls("anonymous", "", "anonymous")

    @classmethod
    def for_account(cls, account) -> Actor:
        return cls("staff" if account.is_staff else "account", str(account.pk), account.email)

    @classmethod
    def for_identity(cls, identity) -> Actor:
        return cls("identity", str(identity.pk), identity.wechat_id)

    @classmethod
    def for_app(cls, appid: str) -> Actor:
        return cls("app", appid, appid)
