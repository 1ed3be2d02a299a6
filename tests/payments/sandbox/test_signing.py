"""PAY-1: the sandbox signs and reads the WeChat Pay v2 wire exactly like WeChat
(reference §2.1 known-answer vectors, §4.2 req_info, §6 wechatpy's encoding)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wechatpy.pay.utils import calculate_signature, calculate_signature_hmac, dict_to_xml
from wechatpy.utils import to_text

from miniport.payments.sandbox import signing
from miniport.payments.sandbox.errors import WireError

KEY = "192006250b4c09247ec02edce69f6a2d"
FIELDS = {
    "appid": "wxd930ea5d5a258f4f",
    "mch_id": "10000100",
    "device_info": "1000",
    "body": "test",
    "nonce_str": "ibuaiVcKdpRxkhJA",
}


def test_md5_vector_of_the_reference():
    """PAY-1 §2.1: the official MD5 example."""
    assert signing.string_to_sign(FIELDS, KEY) == (
        "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100"
        "&nonce_str=ibuaiVcKdpRxkhJA&key=192006250b4c09247ec02edce69f6a2d"
    )
    assert signing.sign(FIELDS, KEY) == "9A0A8659F005D6984697E2CA0A9CF3B7"


def test_hmac_sha256_vector_of_the_reference():
    """PAY-1 §2.1: HMAC-SHA256 keeps `&key=` in the message."""
    assert (
        signing.sign(FIELDS, KEY, "HMAC-SHA256")
        == "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6"
    )


def test_mini_program_pay_sign_vector():
    """PAY-1 §2.1 third vector: wx.requestPayment's paySign."""
    fields = {
        "appId": "wxd678efh567hg6787",
        "nonceStr": "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
        "package": "prepay_id=wx2017033010242291fcfe0db70013231072",
        "signType": "MD5",
        "timeStamp": "1490840662",
    }
    assert signing.sign(fields, "qazwsxedcrfvtgbyhnujmikolp111111") == (
        "22D9B4E54AB1950F51E0649E8810ACD6"
    )


def test_req_info_vector():
    """PAY-1 §4.2: the refund notification's encryption, and its inverse."""
    plaintext = "<root><out_refund_no><![CDATA[R1]]></out_refund_no></root>"
    encrypted = signing.encrypt_req_info(plaintext, KEY)
    assert encrypted == (
        "WBzGpzQuNpcFxIlFjUUD9BZv+lpBMzd2SHiKCkwfALWid5G8ZvfOussfMIHLbKJmsY2g6P/DX3YcO2Irvd86vg=="
    )
    assert signing.decrypt_req_info(encrypted, KEY) == plaintext


def test_empty_values_and_the_sign_field_are_not_signed():
    """PAY-1 §6: an empty element counts as absent; `sign` is never signed."""
    padded = {**FIELDS, "attach": "", "detail": None, "sign": "whatever"}
    assert signing.sign(padded, KEY) == "9A0A8659F005D6984697E2CA0A9CF3B7"


def test_verify_follows_the_sign_type_field():
    md5 = {**FIELDS, "sign": "9A0A8659F005D6984697E2CA0A9CF3B7"}
    assert signing.verify(md5, KEY)
    assert not signing.verify({**md5, "body": "tesT"}, KEY)
    assert not signing.verify(md5, "x" * 32)
    hmac_fields = {**FIELDS, "sign_type": "HMAC-SHA256"}
    hmac_fields["sign"] = signing.sign(hmac_fields, KEY, "HMAC-SHA256")
    assert signing.verify(hmac_fields, KEY)
    # The sign_type is itself signed: claiming MD5 for an HMAC signature fails.
    assert not signing.verify({**hmac_fields, "sign_type": "MD5"}, KEY)
    assert not signing.verify({**FIELDS, "sign_type": "SHA1", "sign": "AA"}, KEY)
    assert not signing.verify(FIELDS, KEY)


def test_unknown_sign_type_is_a_programming_error():
    with pytest.raises(ValueError):
        signing.sign(FIELDS, KEY, "SHA1")


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=12).filter(
    lambda n: n[0].isalpha() and n != "sign"
)
_values = st.one_of(
    st.integers(min_value=1, max_value=10**9),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"),
        min_size=1,
        max_size=30,
    ).filter(lambda v: v == v.strip()),
)


@given(st.dictionaries(_names, _values, min_size=1, max_size=8))
def test_signatures_agree_with_wechatpy(fields):
    """PAY-1: any fields, our signature is wechatpy's, and our parse reads its XML."""
    assert signing.sign(fields, KEY) == calculate_signature(fields, KEY)
    assert signing.sign(fields, KEY, "HMAC-SHA256") == calculate_signature_hmac(fields, KEY)
    parsed = signing.parse_xml(to_text(dict_to_xml(fields, "SIG")).encode())
    assert parsed == {**{k: str(v) for k, v in fields.items()}, "sign": "SIG"}
    assert signing.parse_xml(signing.to_xml(fields).encode()) == {
        k: str(v) for k, v in fields.items()
    }


def test_to_xml_writes_digits_bare_and_text_in_cdata():
    xml = signing.to_xml({"total_fee": 1, "mch_id": "10000100", "body": "a]]>b", "x": None})
    assert xml == (
        "<xml><total_fee>1</total_fee><mch_id>10000100</mch_id>"
        "<body><![CDATA[a]]]]><![CDATA[>b]]></body></xml>"
    )
    assert signing.parse_xml(xml.encode())["body"] == "a]]>b"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "POST_DATA_EMPTY"),
        (b"   \n", "POST_DATA_EMPTY"),
        ("<xml><body>测试</body></xml>".encode("gbk"), "NOT_UTF8"),
        (b"not xml", "XML_FORMAT_ERROR"),
        (b"<root><a>1</a></root>", "XML_FORMAT_ERROR"),
        (b"<xml><a>1</a><a>2</a></xml>", "XML_FORMAT_ERROR"),
        (b"<xml><a><b>1</b></a></xml>", "XML_FORMAT_ERROR"),
        (b'<xml id="1"><a>1</a></xml>', "XML_FORMAT_ERROR"),
        (b'<!DOCTYPE xml [<!ENTITY e "x">]><xml><a>&e;</a></xml>', "XML_FORMAT_ERROR"),
        (b"<xml><a>1</a>", "XML_FORMAT_ERROR"),
    ],
)
def test_parse_refuses_anything_but_a_flat_utf8_xml(body, code):
    with pytest.raises(WireError) as caught:
        signing.parse_xml(body)
    assert caught.value.code == code


def test_parse_keeps_empty_elements_as_empty_strings():
    assert signing.parse_xml(b"<xml><a></a><b><![CDATA[]]></b><c/></xml>") == {
        "a": "",
        "b": "",
        "c": "",
    }


def test_nonce_is_32_letters_and_digits():
    values = {signing.nonce() for _ in range(50)}
    assert len(values) == 50
    assert all(len(v) == 32 and v.isalnum() and v.isascii() for v in values)
