"""The functional page function (FP-9): the owner's `functional-pages/request-payment.js`
`exports.beforeRequestPayment(paymentArgs, callback)`, run in an embedded V8 (mini-racer).

Decisions:
- Each evaluation gets a fresh isolate, closed afterwards: nothing survives from one
  payment to the next, and a broken script harms only its own evaluation.
- Limits (policy rows): `functional.script_timeout_ms` for the whole evaluation (the
  script, its promise callbacks and the reading of the result); the isolate's hard memory
  limit `functional.script_memory_bytes`; `functional.script_concurrency` evaluations at
  once per process (the next waits up to the time limit, then FUNCTION_BUSY). A deep
  recursion ends in V8's own stack check.
- Nothing but the language: no network, files, timers or modules of the host. Before the
  script runs, the globals that reach outside the heap's accounting or schedule work later
  are deleted: `setTimeout`, `clearTimeout` (mini-racer's own), `WebAssembly`, `Atomics`,
  `SharedArrayBuffer`, `ArrayBuffer`, `DataView` and every typed array (their memory lives
  outside the V8 heap, where the hard limit does not see it). Promises (microtasks) work:
  a callback called from a `then` counts, within the time limit.
- Modules: CommonJS `exports`, `module`, `require`, `__filename`, `__dirname`. `require`
  loads only files of `functional-pages/` (FP-10: the folder requires nothing outside it),
  relative to the requiring file, with or without `.js`, or a folder's `index.js`;
  anything else throws "Cannot find module" inside the script. The sources are the
  package's `functional-pages/**.js`, at most `functional.script_max_bytes` together.
- The callback: the first call counts; `callback(err)` with a non-null err is a failure
  with err's message (`errMsg`, `message` or the value as text); `callback(null, args)`
  hands `args` (a JSON object of at most `functional.result_max_bytes`) to payment. A
  script that never calls it (synchronously or from a promise) is FUNCTION_NO_CALLBACK.

Refusals (PlatformError, FunctionalError): FUNCTION_TIMEOUT, FUNCTION_MEMORY,
FUNCTION_STACK, FUNCTION_ERROR (the script threw or did not compile; its message),
FUNCTION_NO_CALLBACK, FUNCTION_RESULT_INVALID, FUNCTION_BUSY, FUNCTION_TOO_LARGE.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.plugins.functional.errors import FunctionalError

ENTRY = "functional-pages/request-payment.js"
FOLDER = "functional-pages/"
FUNCTION = "beforeRequestPayment"

_LOCKDOWN = r"""
(function () {
  var g = globalThis;
  var names = Object.getOwnPropertyNames(g);
  for (var i = 0; i < names.length; i++) {
    var n = names[i];
    if ((/Array$/.test(n) && n !== "Array") || /^__/.test(n) ||
        ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "WebAssembly",
         "Atomics", "SharedArrayBuffer", "ArrayBuffer", "DataView"].indexOf(n) >= 0) {
      try { delete g[n]; } catch (e) { /* not configurable */ }
      if (n in g) { g[n] = undefined; }  // a `var` of the engine's own setup
    }
  }
})();
"""

_LOADER = r"""
var __fp = (function (sources, folder) {
  var cache = {};
  function normal(path) {
    var out = [];
    var parts = path.split("/");
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      if (p === "" || p === ".") continue;
      if (p === "..") { if (!out.length) return null; out.pop(); continue; }
      out.push(p);
    }
    return out.join("/");
  }
  function resolve(dir, target) {
    target = String(target);
    var base = target.charAt(0) === "/" ? target : dir + "/" + target;
    var path = normal(base);
    if (path !== null && path.indexOf(folder) === 0) {
      var tries = [path, path + ".js", path + "/index.js"];
      for (var i = 0; i < tries.length; i++) {
        if (Object.prototype.hasOwnProperty.call(sources, tries[i])) return tries[i];
      }
    }
    throw new Error("Cannot find module '" + target + "' (only files of " + folder + ")");
  }
  function load(path) {
    if (Object.prototype.hasOwnProperty.call(cache, path)) return cache[path].exports;
    var module = { exports: {} };
    cache[path] = module;
    var dir = path.slice(0, path.lastIndexOf("/"));
    var body = new Function("exports", "require", "module", "__filename", "__dirname",
                            sources[path] + "\n");
    var require = function (target) { return load(resolve(dir, target)); };
    body.call(module.exports, module.exports, require, module, path, dir);
    return module.exports;
  }
  return { load: load };
})(__SOURCES__, __FOLDER__);
// The callback's first call, kept where the script cannot reach it, and the engine's own
// JSON.stringify (taken before the script runs) to read it.
Object.defineProperty(globalThis, "__fpBox", { writable: false, configurable: false,
  value: Object.freeze((function (stringify) {
    var result = null;
    return Object.freeze({
      set: function (value) { if (result === null) result = value; },
      read: function () { return result === null ? null : stringify(result); }
    });
  })(JSON.stringify)) });
"""

_RUN = r"""
(function (args) {
  var m = __fp.load(__ENTRY__);
  if (!m || typeof m[__FUNCTION__] !== "function") { __fpBox.set({ missing: true }); return; }
  var called = false;
  m[__FUNCTION__](args, function (err, requestPaymentArgs) {
    if (called) return;
    called = true;
    if (err !== null && err !== undefined) {
      var text = typeof err === "string" ? err
        : (err && (err.errMsg || err.message)) ? String(err.errMsg || err.message)
        : JSON.stringify(err);
      __fpBox.set({ err: String(text) });
      return;
    }
    __fpBox.set({ args: requestPaymentArgs === undefined ? null : requestPaymentArgs });
  });
})(__ARGS__);
"""

_READ = "__fpBox.read()"
# V8's own refusals of a single allocation too large for it (a string, an array).
_MEMORY_SIGNS = ("Invalid string length", "Invalid array length", "allocation failed")


@dataclass(frozen=True)
class ScriptAnswer:
    """What the function did: no function (`missing`), `callback(err)` (`error`), or
    `callback(null, args)` (`args`)."""

    missing: bool = False
    error: str | None = None
    args: dict[str, Any] | None = None


@dataclass(frozen=True)
class Limits:
    timeout_ms: int
    memory_bytes: int
    max_source_bytes: int
    max_result_bytes: int
    concurrency: int

    @classmethod
    def from_policy(cls) -> Limits:
        return cls(
            timeout_ms=policy.value("functional.script_timeout_ms"),
            memory_bytes=policy.value("functional.script_memory_bytes"),
            max_source_bytes=policy.value("functional.script_max_bytes"),
            max_result_bytes=policy.value("functional.result_max_bytes"),
            concurrency=policy.value("functional.script_concurrency"),
        )


# --- the shared event loop of every isolate (mini-racer dispatches its callbacks on one) ---

_loop_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def _event_loop() -> asyncio.AbstractEventLoop:
    """One long-lived loop thread for every isolate of the process: a late callback of a
    terminated isolate still finds it open, and no thread is made per evaluation."""
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            threading.Thread(
                target=loop.run_forever, name="functional-pages-js", daemon=True
            ).start()
            _loop = loop
        return _loop


_slots_lock = threading.Lock()
_slots: tuple[int, threading.BoundedSemaphore] | None = None


def _semaphore(concurrency: int) -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None or _slots[0] != concurrency:
            _slots = (concurrency, threading.BoundedSemaphore(max(1, concurrency)))
        return _slots[1]


def _js(value: Any) -> str:
    # JSON is a subset of JavaScript (ES2019); the text is embedded as a literal.
    return json.dumps(value, ensure_ascii=True)


def program(sources: dict[str, str], payment_args: Any) -> tuple[str, str]:
    """The two evaluations: loading the modules and calling the function."""
    setup = _LOCKDOWN + _LOADER.replace("__SOURCES__", _js(sources)).replace(
        "__FOLDER__", _js(FOLDER)
    )
    run = (
        _RUN.replace("__ENTRY__", _js(ENTRY))
        .replace("__FUNCTION__", _js(FUNCTION))
        .replace("__ARGS__", _js(payment_args))
    )
    return setup, run


def _refusal_of(error: Exception, racer: Any) -> PlatformError:
    from py_mini_racer import JSOOMException, JSTimeoutException

    text = str(error).strip()
    if isinstance(error, JSTimeoutException):
        return PlatformError(FunctionalError.FUNCTION_TIMEOUT)
    if (
        isinstance(error, JSOOMException)
        or racer.was_hard_memory_limit_reached()
        or any(sign in text for sign in _MEMORY_SIGNS)
    ):
        return PlatformError(FunctionalError.FUNCTION_MEMORY)
    if "Maximum call stack size exceeded" in text:
        return PlatformError(FunctionalError.FUNCTION_STACK)
    first = text.splitlines()[0] if text else type(error).__name__
    return PlatformError(FunctionalError.FUNCTION_ERROR, reason=first[:300])


def run_before_request_payment(
    sources: dict[str, str], payment_args: Any, *, limits: Limits | None = None
) -> ScriptAnswer:
    """Run `beforeRequestPayment(paymentArgs, callback)` of `sources` (path → text, the
    package's functional-pages/ files); see the module docstring."""
    from py_mini_racer import JSEvalException, mini_racer

    limits = limits or Limits.from_policy()
    if ENTRY not in sources:
        return ScriptAnswer(missing=True)
    if sum(len(text.encode()) for text in sources.values()) > limits.max_source_bytes:
        raise PlatformError(FunctionalError.FUNCTION_TOO_LARGE, limit=limits.max_source_bytes)
    setup, run = program(sources, payment_args)
    seconds = limits.timeout_ms / 1000
    slots = _semaphore(limits.concurrency)
    if not slots.acquire(timeout=seconds):
        raise PlatformError(FunctionalError.FUNCTION_BUSY)
    try:
        with mini_racer(_event_loop()) as racer:
            racer.set_hard_memory_limit(limits.memory_bytes)
            try:
                deadline = time.monotonic() + seconds
                texts = []
                for code in (setup, run, _READ):
                    left = max(0.001, deadline - time.monotonic())
                    texts.append(racer.eval(code, timeout_sec=left))
                text = texts[-1]
            except JSEvalException as error:
                raise _refusal_of(error, racer) from None
    finally:
        slots.release()
    return _answer(text, limits)


def _answer(text: Any, limits: Limits) -> ScriptAnswer:
    if not isinstance(text, str) or text == "null":
        raise PlatformError(FunctionalError.FUNCTION_NO_CALLBACK)
    if len(text.encode("utf-8", "backslashreplace")) > limits.max_result_bytes:
        raise PlatformError(FunctionalError.FUNCTION_RESULT_INVALID, reason="too large")
    try:
        data = json.loads(text)
        # A lone surrogate (JSON.stringify writes it as an escape) becomes "?": UTF-8, the
        # database and the answer cannot hold it.
        whole = json.dumps(data, ensure_ascii=False).encode("utf-8", "replace").decode()
        data = json.loads(whole)
    except (ValueError, RecursionError):
        # Not JSON (a toJSON of the script's) or nested deeper than a payment needs.
        raise PlatformError(FunctionalError.FUNCTION_RESULT_INVALID, reason="not JSON") from None
    if not isinstance(data, dict):
        raise PlatformError(FunctionalError.FUNCTION_RESULT_INVALID, reason="not an object")
    if data.get("missing"):
        return ScriptAnswer(missing=True)
    if "err" in data:
        return ScriptAnswer(error=str(data["err"])[:500])
    args = data.get("args")
    if not isinstance(args, dict):
        raise PlatformError(FunctionalError.FUNCTION_RESULT_INVALID, reason="not an object")
    return ScriptAnswer(args=args)
