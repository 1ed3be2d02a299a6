"""Validate in memory against the policy defaults (or given limits) and check refusals."""

from __future__ import annotations

import io

import pytest

from miniport.core.errors import PlatformError
from miniport.releases.errors import ReleaseError
from miniport.releases.packages import PackageLimits, PackageManifest, validate_package

from .zips import default_limits


def validate(data: bytes, limits: PackageLimits | None = None) -> PackageManifest:
    return validate_package(io.BytesIO(data), limits=limits or default_limits())


def refusal(data: bytes, limits: PackageLimits | None = None) -> PlatformError:
    """The refusal of `data`; fails the test when the package is accepted."""
    with pytest.raises(PlatformError) as caught:
        validate(data, limits)
    assert isinstance(caught.value.code, ReleaseError), caught.value
    return caught.value


def assert_refused(
    data: bytes, code: ReleaseError, names: str, limits: PackageLimits | None = None
) -> PlatformError:
    """Refused with `code`, and the message (English and Chinese) names `names`."""
    error = refusal(data, limits)
    assert error.code is code, f"{error.code.name}: {error.wire_message()}"
    assert names in error.message("en"), error.message("en")
    assert names in error.message("zh-hans"), error.message("zh-hans")
    return error
