"""B-4: the diff of a submitted version against the online one: pages, domains, plugins and
the size of each package, as plain JSON; the first release diffs against nothing."""

from __future__ import annotations

import json

from miniport.releases.diff import diff_manifests

from .package_support import validate
from .zips import APPID, app_files, make_zip

OTHER_PLUGIN = "wxfedcba9876543210"


def manifest_of(script: str = "", **config):
    files = app_files(**config)
    if script:
        files["app.js"] = script.encode()
    return validate(make_zip(files))


def test_the_first_release_lists_everything_as_added():
    """B-4: no online version yet: every page, domain and plugin is new."""
    new = manifest_of(
        "wx.request({url: 'https://api.example.com'})",
        plugins={"chart": {"version": "1.0.0", "provider": APPID}},
    )
    diff = diff_manifests(None, new)
    assert diff["first_release"] is True
    assert diff["changed"] is True
    assert diff["pages"] == {"added": ["pages/index/index", "pages/logs/logs"], "removed": []}
    assert diff["domains"] == {"added": ["https://api.example.com"], "removed": []}
    assert diff["plugins"]["added"] == [
        {"name": "chart", "provider": APPID, "version": "1.0.0", "subpackage": None}
    ]
    assert diff["size"] == [
        {"package": "__APP__", "before": None, "after": new.main_size, "delta": new.main_size},
        {"package": "__FULL__", "before": None, "after": new.total_size, "delta": new.total_size},
    ]


def test_a_diff_is_plain_json():
    diff = diff_manifests(manifest_of(), manifest_of("// changed"))
    assert json.loads(json.dumps(diff)) == diff


def test_the_same_package_has_no_changes():
    """B-4: resubmitting what is online shows an empty diff."""
    manifest = manifest_of()
    diff = diff_manifests(manifest, manifest)
    assert diff["changed"] is False
    assert diff["first_release"] is False
    assert diff["pages"] == {"added": [], "removed": []}
    assert diff["domains"] == {"added": [], "removed": []}
    assert diff["plugins"] == {"added": [], "removed": [], "changed": []}
    assert all(row["delta"] == 0 for row in diff["size"])


def test_pages_and_domains_added_and_removed_are_listed():
    """B-4: pages of the main package and of subpackages, domains found in the code."""
    old = manifest_of(
        "fetch('https://old.example.com'); fetch('https://kept.example.com')",
        pages=("pages/index/index", "pages/logs/logs"),
    )
    new = manifest_of(
        "fetch('https://kept.example.com'); fetch('wss://new.example.com')",
        pages=("pages/index/index", "pages/shop/shop"),
        subpackages=(("packageA", ("pages/cat/cat",)),),
    )
    diff = diff_manifests(old, new)
    assert diff["pages"] == {
        "added": ["packageA/pages/cat/cat", "pages/shop/shop"],
        "removed": ["pages/logs/logs"],
    }
    assert diff["domains"] == {
        "added": ["wss://new.example.com"],
        "removed": ["https://old.example.com"],
    }


def test_plugins_added_removed_and_changed_in_version():
    """B-4: a plugin is known by its provider and the package declaring it; a new version
    of the same plugin is a change, not a removal and an addition."""
    old = manifest_of(
        plugins={
            "chart": {"version": "1.0.0", "provider": APPID},
            "map": {"version": "2.0.0", "provider": OTHER_PLUGIN},
        }
    )
    new = manifest_of(
        plugins={
            "charts": {"version": "1.1.0", "provider": APPID},
            "pay": {"version": "0.1.0", "provider": "wx1111111111111111"},
        }
    )
    plugins = diff_manifests(old, new)["plugins"]
    assert plugins["changed"] == [
        {
            "provider": APPID,
            "name": "charts",
            "subpackage": None,
            "before": "1.0.0",
            "after": "1.1.0",
        }
    ]
    assert [p["provider"] for p in plugins["added"]] == ["wx1111111111111111"]
    assert [p["name"] for p in plugins["removed"]] == ["map"]


def test_sizes_are_given_per_package_before_and_after():
    """B-4: the main package, each subpackage of either side, and the whole, last."""
    old = manifest_of(subpackages=(("packageA", ("pages/cat/cat",)),))
    new = manifest_of("// a longer app.js " * 50, subpackages=(("packageB", ("pages/dog/dog",)),))
    rows = {row["package"]: row for row in diff_manifests(old, new)["size"]}
    assert list(rows) == ["__APP__", "packageA", "packageB", "__FULL__"]
    assert rows["__APP__"] == {
        "package": "__APP__",
        "before": old.main_size,
        "after": new.main_size,
        "delta": new.main_size - old.main_size,
    }
    assert rows["packageA"]["after"] is None
    assert rows["packageA"]["delta"] == -old.subpackages[0].size
    assert rows["packageB"]["before"] is None
    assert rows["__FULL__"]["delta"] == new.total_size - old.total_size


def test_stored_manifests_diff_like_validated_ones():
    """B-4: the online version's manifest comes from the database as JSON."""
    old = manifest_of("fetch('https://a.example.com')")
    new = manifest_of("fetch('https://b.example.com')", pages=("pages/index/index",))
    stored_old = json.loads(json.dumps(old.as_dict()))
    stored_new = json.loads(json.dumps(new.as_dict()))
    assert diff_manifests(stored_old, stored_new) == diff_manifests(old, new)
