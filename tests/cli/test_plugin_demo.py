"""`miniport demo` (PLG-1..PLG-11, FP-6): the shop, an enterprise mini program, owns a
plugin released through the desk with published documentation and approved payment, its
own code released with functional pages; the demo mini program uses the plugin; nothing
is made twice."""

from __future__ import annotations

import json

from miniport.demo import payments, plugins


def test_plg_the_demo_has_a_released_plugin_used_by_the_demo_mini_program(cli):
    done = cli("demo")
    assert done.returncode == 0, done.stderr
    [(appid, name, owner_email)] = cli.rows(
        "SELECT p.appid, p.name, a.email FROM plugins_plugin p "
        "JOIN miniprograms_miniprogram mp ON mp.id = p.owner_id "
        "JOIN accounts_account a ON a.id = mp.account_id"
    )
    assert (name, owner_email) == (plugins.PLUGIN_NAME, payments.SHOP_EMAIL)
    assert f"AppID {appid}" in done.stdout
    assert cli.rows("SELECT user_version FROM plugins_pluginrelease") == [("1.0.0",)]
    assert cli.rows(
        "SELECT s.state, r.state FROM plugins_pluginsubmission s "
        "JOIN review_review r ON r.id = s.review_id"
    ) == [("approved", "approved")]
    assert cli.rows("SELECT COUNT(*) FROM plugins_plugindoc WHERE published_at IS NOT NULL") == [
        (1,)
    ]
    assert cli.rows("SELECT state FROM plugins_pluginpaymentapplication") == [("approved",)]
    assert cli.rows(
        "SELECT a.email, pa.status FROM plugins_pluginapplication pa "
        "JOIN miniprograms_miniprogram mp ON mp.id = pa.miniprogram_id "
        "JOIN accounts_account a ON a.id = mp.account_id"
    ) == [("demo@miniport.local", "approved")]
    # FP-6: the owner's released code enables the functional pages.
    [(manifest,)] = cli.rows(
        "SELECT p.manifest FROM releases_release r "
        "JOIN releases_devversion v ON v.id = r.dev_version_id "
        "JOIN releases_codepackage p ON p.id = v.package_id "
        "JOIN miniprograms_miniprogram mp ON mp.id = r.miniprogram_id "
        "JOIN accounts_account a ON a.id = mp.account_id WHERE a.email = ?",
        payments.SHOP_EMAIL,
    )
    assert json.loads(manifest)["functional_pages"]


def test_plg_the_demo_makes_the_plugin_once(cli):
    assert cli("demo").returncode == 0
    tables = (
        "plugins_plugin",
        "plugins_pluginversion",
        "plugins_pluginrelease",
        "plugins_plugindoc",
        "plugins_pluginapplication",
        "plugins_pluginpaymentapplication",
    )
    counts = [cli.count(table) for table in tables]
    again = cli("demo")
    assert again.returncode == 0 and "already in place" in again.stdout
    assert [cli.count(table) for table in tables] == counts
