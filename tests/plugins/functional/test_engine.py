"""FP-9 / FP-10: the owner's beforeRequestPayment runs in a fresh V8 isolate with a time
limit, a memory limit, no timers, no host modules, and `require` only inside
functional-pages/; an infinite loop, a huge allocation and a deep recursion are stopped and
reported while other work goes on."""

from __future__ import annotations

import threading
import time

import pytest

from miniport.core.errors import PlatformError
from miniport.plugins.functional.engine import ENTRY, Limits, run_before_request_payment
from miniport.plugins.functional.errors import FunctionalError

LIMITS = Limits(
    timeout_ms=1000,
    memory_bytes=32 * 1024 * 1024,
    max_source_bytes=256 * 1024,
    max_result_bytes=16 * 1024,
    concurrency=4,
)
GOOD = """
exports.beforeRequestPayment = function (paymentArgs, callback) {
  callback(null, { timeStamp: "1", nonceStr: "n", package: "prepay_id=" + paymentArgs.id,
                   signType: "MD5", paySign: "S" });
};
"""


def run(source: str, args=None, *, extra: dict[str, str] | None = None, limits=LIMITS):
    sources = {ENTRY: source, **(extra or {})}
    return run_before_request_payment(sources, args, limits=limits)


def refused(source: str, code: FunctionalError, **kw) -> PlatformError:
    with pytest.raises(PlatformError) as caught:
        run(source, **kw)
    assert caught.value.code is code, caught.value
    return caught.value


def test_fp9_the_callback_hands_request_payment_args_on():
    answer = run(GOOD, {"id": "wx123"})
    assert answer.args is not None
    assert answer.args["package"] == "prepay_id=wx123"
    assert not answer.missing and answer.error is None


def test_fp9_callback_with_an_error_is_a_failure_with_its_message():
    answer = run(
        "exports.beforeRequestPayment = function (a, cb) { cb({errMsg: 'out of stock'}); };"
    )
    assert answer.error == "out of stock" and answer.args is None
    assert run("exports.beforeRequestPayment = (a, cb) => cb('nope');").error == "nope"


def test_fp9_a_missing_function_or_file_is_reported_as_missing():
    assert run("exports.other = function () {};").missing
    assert run_before_request_payment({}, None, limits=LIMITS).missing


def test_fp9_module_exports_and_a_promise_callback_count():
    source = """
    module.exports = { beforeRequestPayment: function (a, cb) {
      Promise.resolve().then(function () { cb(null, { package: "prepay_id=p" }); });
    } };
    """
    assert run(source).args == {"package": "prepay_id=p"}


def test_fp9_a_function_that_never_calls_back_is_refused():
    refused("exports.beforeRequestPayment = function () {};", FunctionalError.FUNCTION_NO_CALLBACK)


def test_fp9_a_throwing_or_broken_script_is_refused_with_its_message():
    error = refused(
        "exports.beforeRequestPayment = function () { throw new Error('boom'); };",
        FunctionalError.FUNCTION_ERROR,
    )
    assert "boom" in error.message("en")
    refused("exports.beforeRequestPayment = function ( {", FunctionalError.FUNCTION_ERROR)


def test_fp9_no_timers_no_host_modules_no_buffers_outside_the_heap():
    source = """
    exports.beforeRequestPayment = function (a, cb) {
      cb(null, { kinds: [typeof setTimeout, typeof setInterval, typeof WebAssembly,
        typeof ArrayBuffer, typeof Uint8Array, typeof SharedArrayBuffer, typeof Atomics,
        typeof process, typeof fetch, typeof XMLHttpRequest, typeof wx].join(",") });
    };
    """
    answer = run(source)
    assert answer.args is not None
    assert set(answer.args["kinds"].split(",")) == {"undefined"}


def test_fp10_require_reaches_only_functional_pages():
    util = {
        "functional-pages/lib/util.js": "exports.pkg = function (id) { return 'prepay_id=' + id; };"
    }
    inside = """
    var util = require('./lib/util');
    exports.beforeRequestPayment = function (a, cb) { cb(null, { package: util.pkg('x') }); };
    """
    assert run(inside, extra=util).args == {"package": "prepay_id=x"}
    outside = """
    var u = require('../utils/pay.js');
    exports.beforeRequestPayment = function (a, cb) { cb(null, {}); };
    """
    error = refused(outside, FunctionalError.FUNCTION_ERROR, extra={"utils/pay.js": "1"})
    assert "Cannot find module" in error.message("en")


def test_fp9_an_infinite_loop_is_stopped_in_time():
    started = time.monotonic()
    refused(
        "exports.beforeRequestPayment = function () { while (true) {} };",
        FunctionalError.FUNCTION_TIMEOUT,
    )
    assert time.monotonic() - started < 5


def test_fp9_a_loop_at_load_time_is_stopped_too():
    refused("for (;;) {}", FunctionalError.FUNCTION_TIMEOUT)


def test_fp9_a_huge_allocation_is_stopped():
    refused(
        "exports.beforeRequestPayment = function () { var a = [];"
        " while (true) { a.push(new Array(1e6).fill(1.5)); } };",
        FunctionalError.FUNCTION_MEMORY,
    )


def test_fp9_a_deep_recursion_is_stopped():
    refused(
        "function f(n) { return f(n + 1) + 1; }"
        " exports.beforeRequestPayment = function () { f(0); };",
        FunctionalError.FUNCTION_STACK,
    )


def test_fp9_too_much_code_is_refused_before_it_runs():
    small = Limits(**{**LIMITS.__dict__, "max_source_bytes": 10})
    refused(GOOD, FunctionalError.FUNCTION_TOO_LARGE, limits=small)


RUNAWAYS = {
    "infinite-loop": (
        "exports.beforeRequestPayment = function () { while (true) {} };",
        FunctionalError.FUNCTION_TIMEOUT,
    ),
    "huge-allocation": (
        "exports.beforeRequestPayment = function () { var a = [];"
        " for (;;) a.push(new Array(1e6).fill(0.5)); };",
        FunctionalError.FUNCTION_MEMORY,
    ),
    "string-doubling": (
        "exports.beforeRequestPayment = function () { var s = 'x'; for (;;) s += s; };",
        FunctionalError.FUNCTION_MEMORY,
    ),
    "deep-recursion": (
        "function r() { return r() + 1; } exports.beforeRequestPayment = function () { r(); };",
        FunctionalError.FUNCTION_STACK,
    ),
}


@pytest.mark.parametrize("kind", list(RUNAWAYS))
def test_fp9_a_runaway_script_does_not_stop_another_evaluation(kind):
    """While one thread runs a runaway function, another evaluation answers in time, and
    the runaway is stopped and reported by its kind."""
    source, code = RUNAWAYS[kind]
    slow_limits = Limits(**{**LIMITS.__dict__, "timeout_ms": 5000})
    outcome: dict[str, object] = {}

    def runaway():
        try:
            run(source, limits=slow_limits)
        except PlatformError as error:
            outcome["code"] = error.code

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.05)
    started = time.monotonic()
    answer = run(GOOD, {"id": "other"})
    took = time.monotonic() - started
    thread.join(10)
    assert answer.args is not None and answer.args["package"] == "prepay_id=other"
    assert took < 2.5
    assert outcome["code"] is code
