"""VER-1: whatever an upload holds, validation answers a manifest or a coded refusal, never
another exception (a property test over names, app.json and damaged bytes)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miniport.core.errors import PlatformError
from miniport.releases.errors import ReleaseError

from .package_support import validate
from .zips import Raw, app_files, make_zip, raw_package

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_NAME_ALPHABET = st.characters(codec="utf-8") | st.sampled_from(
    ["/", "\\", ".", ":", "\x00", "\uff0e", "\uff0f", "A", "a", "C"]
)
# Names built from pieces a hostile archive likes to combine.
_NAMES = st.text(_NAME_ALPHABET, max_size=24) | st.lists(
    st.sampled_from(["..", ".", "", "C:", "a", "A", "\uff0e\uff0e", "lib", "x.js", "\\"]),
    max_size=5,
).map("/".join)


def _validates_or_refuses(data: bytes) -> None:
    try:
        validate(data)
    except PlatformError as error:
        assert isinstance(error.code, ReleaseError)
        assert error.message("en") and error.message("zh-hans")


@SETTINGS
@given(names=st.lists(_NAMES, min_size=1, max_size=4))
def test_arbitrary_entry_names_are_validated_or_refused_with_a_code(names):
    entries = [Raw(name, b"x") for name in names]
    _validates_or_refuses(raw_package(*entries))


@SETTINGS
@given(name=_NAMES)
def test_an_accepted_name_never_leaves_the_package_folder(name):
    try:
        manifest = validate(raw_package(Raw(name, b"x")))
    except PlatformError:
        return
    for file in manifest.files:
        parts = file.path.split("/")
        assert ".." not in parts and not file.path.startswith("/")
        assert "\\" not in file.path and ":" not in file.path and "\x00" not in file.path


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@SETTINGS
@given(
    config=st.fixed_dictionaries(
        {},
        optional={
            "pages": _JSON | st.just(["pages/index/index"]),
            "subPackages": _JSON,
            "functionalPages": _JSON,
            "plugins": _JSON,
            "tabBar": _JSON,
            "entryPagePath": _JSON,
        },
    )
)
def test_arbitrary_app_json_is_validated_or_refused_with_a_code(config):
    files = app_files()
    files["app.json"] = json.dumps(config).encode()
    _validates_or_refuses(make_zip(files))


_VALID = make_zip(app_files())


@SETTINGS
@given(
    changes=st.lists(
        st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255)), min_size=1, max_size=6
    ),
    cut=st.integers(0, len(_VALID)),
)
def test_damaged_archives_are_validated_or_refused_with_a_code(changes, cut):
    data = bytearray(_VALID)
    for position, value in changes:
        data[position] = value
    _validates_or_refuses(bytes(data[:cut]))
