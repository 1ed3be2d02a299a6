"""CER-1 over the wire: getaccountbasicinfo tells whether the mini program is certified
(while its term runs) and the annual review window, and stops at expiry."""

from __future__ import annotations

from datetime import timedelta

import time_machine

PATH = "/cgi-bin/account/getaccountbasicinfo"


def basic_info(wire, provisioned, token):
    return wire.get(PATH, access_token=token)


def test_cer1_certified_enterprise_reports_its_certification_and_annual_review(wire, company_app):
    token = wire.token(company_app)
    subject = company_app.miniprogram.subject
    until = subject.certified_until
    info = basic_info(wire, company_app, token)
    assert info["errcode"] == 0
    verify = info["wx_verify_info"]
    assert verify["qualification_verify"] is True and verify["naming_verify"] is True
    assert verify["annual_review"] is False
    assert verify["annual_review_end_time"] == int(until.timestamp())
    assert verify["annual_review_begin_time"] == int((until - timedelta(days=90)).timestamp())
    assert info["customer_type"] == 1
    with time_machine.travel(until - timedelta(days=30), tick=False):
        token = wire.token(company_app)
        assert basic_info(wire, company_app, token)["wx_verify_info"]["annual_review"] is True


def test_cer1_expired_certification_reads_as_not_certified(wire, company_app):
    until = company_app.miniprogram.subject.certified_until
    with time_machine.travel(until + timedelta(seconds=1), tick=False):
        token = wire.token(company_app)
        info = basic_info(wire, company_app, token)
    assert info["errcode"] == 0
    assert info["wx_verify_info"] == {
        "qualification_verify": False,
        "naming_verify": False,
        "annual_review": False,
        "annual_review_begin_time": 0,
        "annual_review_end_time": 0,
    }
    assert info["customer_type"] == 0


def test_personal_mini_program_is_never_certified(wire, app):
    info = basic_info(wire, app, wire.token(app))
    assert info["wx_verify_info"]["qualification_verify"] is False
    assert info["customer_type"] == 0 and info["principal_type"] == 0
