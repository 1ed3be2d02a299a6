"""B-4 / VER-3: the automatic pre-checks of a submission, a pure function over the package
manifest (as validated, or as stored) and what the submission and the settings say: sizes,
item pages, item categories, domains in the code, and the privacy declaration."""

from __future__ import annotations

import json
import zipfile

import pytest

from miniport.releases.packages.apis import PRIVACY_APIS
from miniport.releases.prechecks import ERROR, INFO, WARNING, Finding, has_errors, run_prechecks

from .package_support import validate
from .zips import app_files, default_limits, make_zip

ITEM = {
    "address": "pages/index/index",
    "tag": "工具",
    "first_class": "工具",
    "second_class": "效率",
    "first_id": 287,
    "second_id": 612,
    "title": "首页",
}
APPROVED = [(287, 612)]


def manifest_of(files=None, **config):
    return validate(make_zip(files or app_files(**config)))


def check(manifest, *, items=(ITEM,), domains=(), approved=APPROVED, privacy=False, limits=None):
    return run_prechecks(
        manifest=manifest,
        items=items,
        server_domains=domains,
        approved_categories=approved,
        privacy_declared=privacy,
        limits=limits or default_limits(),
    )


def codes(findings):
    return [finding.code for finding in findings]


def test_a_clean_package_with_a_good_item_has_no_findings():
    """B-4: nothing to report when every check passes."""
    assert check(manifest_of()) == []


def test_findings_are_bilingual_and_serialise_as_json():
    """B-4: each finding carries a code, a level, Chinese and English messages and details."""
    finding = check(manifest_of(), items=[{**ITEM, "address": "pages/nowhere/nowhere"}])[0]
    data = finding.as_json()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"code", "level", "message_zh", "message_en", "detail"}
    assert "pages/nowhere/nowhere" in data["message_zh"]
    assert "pages/nowhere/nowhere" in data["message_en"]
    assert finding.message("en") == data["message_en"]
    assert finding.message("zh-hans") == data["message_zh"]


def test_a_finding_with_an_unknown_level_cannot_be_made():
    with pytest.raises(ValueError):
        Finding("x", "fatal", "x", "x")


def test_packages_over_todays_limits_are_errors():
    """B-4: sizes are checked against the policy rows as they are at submission, which an
    operator may have lowered since the upload."""
    manifest = manifest_of(subpackages=(("packageA", ("pages/cat/cat",)),))
    sub = manifest.subpackages[0]
    limits = default_limits(
        max_main_bytes=manifest.main_size - 1,
        max_subpackage_bytes=sub.size - 1,
        max_total_bytes=manifest.total_size - 1,
    )
    findings = check(manifest, limits=limits)
    assert codes(findings) == ["package_too_large", "subpackage_too_large", "total_too_large"]
    assert all(finding.level == ERROR for finding in findings)
    assert findings[1].detail == {"package": "packageA", "size": sub.size, "limit": sub.size - 1}
    assert has_errors(findings)


def test_a_package_exactly_at_the_limits_passes():
    manifest = manifest_of()
    limits = default_limits(max_main_bytes=manifest.main_size, max_total_bytes=manifest.total_size)
    assert check(manifest, limits=limits) == []


def test_an_item_page_must_exist_in_the_package():
    """VER-3: the page an item group names is a page of the package (main package or
    subpackage); a leading slash and a query string are allowed, and a group may name
    no page (wechat-api 4.5: address is optional)."""
    manifest = manifest_of(subpackages=(("packageA", ("pages/cat/cat",)),))
    good = [
        {**ITEM, "address": "/pages/logs/logs?from=review"},
        {**ITEM, "address": "packageA/pages/cat/cat"},
        {**ITEM, "address": ""},
    ]
    assert check(manifest, items=good) == []
    bad = [ITEM, {**ITEM, "address": "pages/cat/cat"}, {**ITEM, "address": "pages/none/none"}]
    findings = check(manifest, items=bad)
    assert codes(findings) == ["item_page_missing", "item_page_missing"]
    assert [f.detail["item"] for f in findings] == [2, 3]
    assert all(f.level == ERROR for f in findings)


def test_an_item_category_must_be_an_approved_one():
    """VER-3: the category of each item group is one of the mini program's approved
    categories, given as pairs or as rows with first_id and second_id."""
    manifest = manifest_of()
    other = {**ITEM, "first_id": 1, "second_id": 2, "first_class": "快递业与邮政"}
    findings = check(manifest, items=[ITEM, other])
    assert codes(findings) == ["item_category_not_approved"]
    assert findings[0].detail["item"] == 2
    assert "快递业与邮政" in findings[0].message_zh
    rows = [{"first_id": "287", "second_id": "612"}, {"first": 1, "second": 2}]
    assert check(manifest, items=[ITEM, other], approved=rows) == []


def test_an_item_without_a_category_is_an_error():
    findings = check(manifest_of(), items=[{"address": "pages/index/index", "first_id": "x"}])
    assert codes(findings) == ["item_category_missing"]
    assert findings[0].level == ERROR


def test_malformed_approved_categories_approve_nothing():
    findings = check(manifest_of(), approved=[None, (1,), "abc"])
    assert codes(findings) == ["item_category_not_approved"]


def code_package(script: str):
    files = app_files()
    files["pages/index/index.js"] = script.encode()
    return manifest_of(files)


def test_domains_in_the_code_that_are_not_configured_are_warnings():
    """B-4: every https/wss origin in the code is compared by host with the configured
    server domains (given as origins or bare hosts); the others are warnings."""
    manifest = code_package(
        "wx.request({url: 'https://api.example.com/v1'})\n"
        "wx.connectSocket({url: 'wss://chat.example.com/live'})\n"
        "wx.request({url: 'https://stats.example.net:443/hit'})\n"
        "wx.request({url: 'https://other.example.org/x'})\n"
    )
    configured = ["https://API.example.com", "wss://chat.example.com", "stats.example.net"]
    findings = check(manifest, domains=configured)
    assert codes(findings) == ["domain_not_configured"]
    assert findings[0].level == WARNING
    assert findings[0].detail == {
        "origin": "https://other.example.org",
        "host": "other.example.org",
    }
    assert not has_errors(findings)


def test_a_port_other_than_the_default_must_be_configured_as_such():
    manifest = code_package("wx.request({url: 'https://api.example.com:8443/v1'})\n")
    assert codes(check(manifest, domains=["https://api.example.com"])) == ["domain_not_configured"]
    assert check(manifest, domains=["https://api.example.com:8443"]) == []


def test_plain_http_addresses_are_reported_once_as_info():
    """B-4: http and ws origins can never be requested; they are listed in one info."""
    manifest = code_package(
        "const ns = 'http://www.w3.org/2000/svg'; const old = 'ws://legacy.example.com'\n"
    )
    findings = check(manifest)
    assert codes(findings) == ["domain_not_https"]
    assert findings[0].level == INFO
    assert findings[0].detail["origins"] == ["http://www.w3.org", "ws://legacy.example.com"]


def test_privacy_sensitive_apis_need_a_privacy_declaration():
    """B-4: code that calls privacy-sensitive wx APIs is an error until the privacy
    declaration is made; the finding names the APIs."""
    manifest = code_package(
        "Page({onLoad() { wx.getLocation({type: 'gcj02'}); wx . chooseImage({count: 1}) }})\n"
    )
    assert manifest.privacy_apis == ("chooseImage", "getLocation")
    findings = check(manifest)
    assert codes(findings) == ["privacy_declaration_missing"]
    assert findings[0].level == ERROR
    assert findings[0].detail == {"apis": ["chooseImage", "getLocation"]}
    assert "wx.getLocation" in findings[0].message_zh
    assert check(manifest, privacy=True) == []


def test_names_that_only_look_like_privacy_apis_are_not_counted():
    manifest = code_package(
        "mywx.getLocation(); wx.getLocationSettings(); wx.request({}); getUserProfile()\n"
    )
    assert manifest.privacy_apis == ()
    assert check(manifest) == []


def test_a_privacy_api_cut_by_a_chunk_boundary_is_found():
    """The scan runs on the inflated chunks; a call across two of them is not lost."""
    from miniport.releases.packages import reader

    filler = b"x" * (reader.INFLATE_CHUNK - 8)
    files = app_files()
    files["lib/big.js"] = filler + b" wx.chooseInvoiceTitle({})\n" + filler
    manifest = validate(make_zip(files, zipfile.ZIP_STORED))
    assert manifest.privacy_apis == ("chooseInvoiceTitle",)


def test_only_code_files_are_scanned_for_privacy_apis():
    files = app_files()
    files["pages/index/index.wxml"] = b"<view>wx.getLocation()</view>"
    files["README.md"] = b"call wx.chooseImage to pick"
    assert manifest_of(files).privacy_apis == ()


def test_the_privacy_list_names_each_api_once():
    assert len(set(PRIVACY_APIS)) == len(PRIVACY_APIS)


def test_the_stored_json_form_of_a_manifest_gives_the_same_findings():
    """B-4: the submit service passes the manifest as stored with the package."""
    manifest = code_package("wx.getUserProfile({}); fetch('https://x.example.com')\n")
    stored = json.loads(json.dumps(manifest.as_dict()))
    items = [ITEM, {**ITEM, "address": "pages/none/none"}]
    assert check(stored, items=items) == check(manifest, items=items)
    assert len(check(manifest, items=items)) == 3


def test_a_manifest_stored_before_the_privacy_scan_still_reads():
    """Manifests stored earlier have no privacy_apis key; they read back with none."""
    stored = manifest_of().as_dict()
    del stored["privacy_apis"]
    assert check(stored) == []


def test_findings_come_in_check_order_and_errors_block():
    """B-4: sizes, pages, categories, domains, privacy; any error blocks the submission,
    warnings and infos do not."""
    manifest = code_package(
        "wx.getLocation(); fetch('https://z.example.com'); 'http://a.example.com'"
    )
    limits = default_limits(max_total_bytes=manifest.total_size - 1)
    items = [{**ITEM, "address": "pages/gone/gone", "first_id": 9, "second_id": 9}]
    findings = check(manifest, items=items, limits=limits)
    assert codes(findings) == [
        "total_too_large",
        "item_page_missing",
        "item_category_not_approved",
        "domain_not_configured",
        "domain_not_https",
        "privacy_declaration_missing",
    ]
    assert has_errors([f.as_json() for f in findings])
    assert not has_errors([f for f in findings if f.level != ERROR])
