"""A refusal's English text begins a sentence on a page, while the wire keeps WeChat's
lower-case errmsg (miniport.web.sentences). (B-11)"""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from miniport.web.sentences import sentence


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("this field is required", "This field is required"),
        ("line 3: invalid image address", "Line 3: invalid image address"),
        ("invalid", "Invalid"),
        ("app.json is missing", "app.json is missing"),
        ("ext_json: parse fail", "ext_json: parse fail"),
        ("wx1234: unknown", "wx1234: unknown"),
        ("此项为必填项", "此项为必填项"),
        ("", ""),
    ],
)
def test_only_a_plain_first_word_is_capitalised(text, shown):
    assert sentence(text) == shown


class _Form(forms.Form):
    name = forms.CharField()


def test_every_forms_error_list_begins_its_refusals_as_sentences():
    form = _Form({"name": ""})
    form.is_valid()
    form.errors["name"] = form.error_class(["this field is required"])
    with translation.override("en"):
        assert "<li>This field is required</li>" in str(form.errors["name"])
