"""FP-9: a hostile `beforeRequestPayment` is a coded refusal, never an unhandled error: a
script that replaces JSON.stringify, gives every object a toJSON, answers nesting deeper
than a payment needs, or writes the engine's own result instead of calling its callback."""

from __future__ import annotations

import pytest

from miniport.core.errors import PlatformError
from miniport.plugins.functional.errors import FunctionalError
from tests.plugins.functional.test_engine import run


def _refused(source: str) -> FunctionalError:
    with pytest.raises(PlatformError) as caught:
        run(source, {"id": 1})
    return caught.value.code


@pytest.mark.parametrize(
    "source",
    [
        "JSON.stringify = function () { return 'not json'; };"
        " exports.beforeRequestPayment = function (a, cb) { cb(null, {}); };",
        "exports.beforeRequestPayment = function (a, cb) {"
        " JSON.stringify = function () { return '[1]'; }; cb(null, {}); };",
        "Object.prototype.toJSON = function () { return 'x'; };"
        " exports.beforeRequestPayment = function (a, cb) { cb(null, {}); };",
        "Array.prototype.toJSON = function () { return 'x'; };"
        " exports.beforeRequestPayment = function (a, cb) { cb(null, {}); };",
    ],
    ids=["stringify-replaced", "stringify-replaced-late", "object-tojson", "array-tojson"],
)
def test_fp9_a_script_that_tampers_with_json_gets_an_invalid_result_or_its_own_answer(source):
    try:
        answer = run(source, {"id": 1})
    except PlatformError as refusal:
        assert refusal.code is FunctionalError.FUNCTION_RESULT_INVALID
    else:
        assert answer.args == {}


def test_fp9_a_result_nested_deeper_than_a_payment_needs_is_invalid():
    source = (
        "exports.beforeRequestPayment = function (a, cb) {"
        " var deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000)); cb(null, {x: deep}); };"
    )
    assert _refused(source) is FunctionalError.FUNCTION_RESULT_INVALID


@pytest.mark.parametrize(
    "source",
    [
        "__fpResult = {args: {forged: 1}}; exports.beforeRequestPayment = function (a, cb) {};",
        "exports.beforeRequestPayment = function (a, cb) { __fpResult = 'zzz'; };",
        "exports.beforeRequestPayment = function (a, cb) { __fpBox = null; };",
    ],
    ids=["forged-result", "string-result", "box-replaced"],
)
def test_fp9_only_the_callback_answers_a_global_written_by_the_script_does_not(source):
    code = _refused(source)
    assert code in (FunctionalError.FUNCTION_NO_CALLBACK, FunctionalError.FUNCTION_ERROR)


def test_fp9_the_first_callback_counts_even_if_the_script_rewrites_the_box():
    source = (
        "exports.beforeRequestPayment = function (a, cb) { cb(null, {first: 1});"
        " try { __fpBox.set({err: 'second'}); } catch (e) {} cb('third'); };"
    )
    assert run(source, {"id": 1}).args == {"first": 1}


def test_fp9_a_lone_surrogate_in_the_callbacks_texts_is_replaced():
    error = run("exports.beforeRequestPayment = function (a, cb) { cb('\\ud800 x'); };").error
    args = run(
        "exports.beforeRequestPayment = function (a, cb) { cb(null, {p: 'a\\udc00'}); };"
    ).args
    assert (error, args) == ("? x", {"p": "a?"})
    assert run("exports.beforeRequestPayment = function (a, cb) { cb('😀'); };").error == "😀"
