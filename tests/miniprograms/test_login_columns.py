"""OPN-2 plumbing: higher floors register values the login statement reads with the
app (miniport.miniprograms.services.credential_sql.LOGIN_COLUMNS); a bad registration
is refused at start-up and changes nothing."""

from __future__ import annotations

import pytest

from miniport.miniprograms.services import credential_sql


@pytest.mark.parametrize(
    ("name", "subquery"),
    [
        ("Open-AppID", "SELECT 1"),
        ("x" * 40, "SELECT 1"),
        ("open_appid", "SELECT open_appid FROM binding WHERE id = %s"),
    ],
)
def test_a_login_column_needs_a_plain_name_and_a_subquery_without_parameters(name, subquery):
    before = dict(credential_sql.LOGIN_COLUMNS)
    with pytest.raises(ValueError, match="login column"):
        credential_sql.register_login_column(name, subquery)
    assert before == credential_sql.LOGIN_COLUMNS


def test_the_open_platform_registers_the_open_appid_with_every_login():
    assert "open_appid" in credential_sql.LOGIN_COLUMNS
    assert "login_open_appid" in credential_sql._sql_app_code()
