"""Benchmark of code package validation (issue 8, "Speed").

Builds in memory a valid 20 MB, 2,000-entry package (a main package and nine subpackages
of just under 2 MB each) and two zip bombs of 1 GiB of zeros: one whose headers declare the
real size, one whose headers lie (a few KB declared, local and central). Each case runs in
its own subprocess, which loads the archive built by the parent and measures the validation's
wall time and its extra peak memory (ru_maxrss after minus before, the archive already in
memory). Prints the figures; exits 1 when
a target is missed:

- the valid package validates in <= 1 s;
- each bomb is refused in <= 1 s with <= 100 MB of extra memory.

Run: .venv/bin/python scripts/bench_packages.py [--json]
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from miniport.releases.packages import PackageLimits  # noqa: E402

MIB = 1024 * 1024
TARGET_SECONDS = 1.0
TARGET_EXTRA_MB = 100.0
PACKAGES = 10  # the main package and nine subpackages
FILES_PER_PACKAGE = 200
PACKAGE_BYTES = 2_090_000  # under the 2 MiB limit of each package; 20.9 MB in all
BOMB_BYTES = 1024 * MIB
_WORDS = [
    "const",
    "let",
    "var",
    "function",
    "return",
    "if",
    "else",
    "for",
    "while",
    "this",
    "that",
    "page",
    "data",
    "setData",
    "wx",
    "request",
    "url",
    "success",
    "fail",
    "complete",
    "value",
    "item",
    "index",
    "list",
    "map",
    "filter",
    "reduce",
    "component",
    "properties",
    "methods",
    "observers",
    "lifetimes",
    "attached",
    "detached",
]


def _script(rng: random.Random, size: int, serial: int) -> bytes:
    """JavaScript-like text that compresses about as well as real code does."""
    parts = [
        f"// file {serial}\n",
        f"wx.request({{ url: 'https://api{serial % 7}.example.com/v1' }})\n",
    ]
    length = sum(len(part) for part in parts)
    while length < size:
        line = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 12)))
        line += f" {rng.randint(0, 10**9)};\n"
        parts.append(line)
        length += len(line)
    return "".join(parts).encode()[:size]


def build_valid() -> bytes:
    rng = random.Random(8)
    files: dict[str, bytes] = {}
    subpackages = []
    for package in range(PACKAGES):
        root = "" if package == 0 else f"sub{package}/"
        pages = [f"pages/p{n}/p{n}" for n in range(10)]
        if package:
            subpackages.append({"root": root.rstrip("/"), "pages": pages})
        names = []
        for page in pages:
            names += [f"{root}{page}.js", f"{root}{page}.wxml"]
        if package == 0:
            names += ["app.js"]
        while len(names) < FILES_PER_PACKAGE - (1 if package == 0 else 0):
            names.append(f"{root}lib/module{len(names)}.js")
        each = PACKAGE_BYTES // FILES_PER_PACKAGE
        for serial, name in enumerate(names):
            files[name] = _script(rng, each, serial)
    app = {"pages": [f"pages/p{n}/p{n}" for n in range(10)], "subPackages": subpackages}
    files["app.json"] = json.dumps(app).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in files.items():
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()


def build_bomb(*, lying: bool) -> bytes:
    """app.json and one entry of 1 GiB of zeros, deflated as it is generated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    zeros = bytes(MIB)
    parts, crc = [], 0
    for _ in range(BOMB_BYTES // MIB):
        parts.append(compressor.compress(zeros))
        crc = zlib.crc32(zeros, crc)
    parts.append(compressor.flush())
    payload = b"".join(parts)
    declared = 4096 if lying else BOMB_BYTES
    name = b"pages/index/index.js"
    local = struct.pack(
        "<4s2B4HL2L2H",
        b"PK\x03\x04",
        20,
        0,
        0x800,
        8,
        0,
        0x21,
        crc,
        len(payload),
        declared,
        len(name),
        0,
    )
    central = struct.pack(
        "<4s4B4HL2L5H2L",
        b"PK\x01\x02",
        20,
        3,
        20,
        0,
        0x800,
        8,
        0,
        0x21,
        crc,
        len(payload),
        declared,
        len(name),
        0,
        0,
        0,
        0,
        0o100644 << 16,
        0,
    )
    body = local + name + payload
    central += name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(body), 0)
    return body + central + end


def _limits() -> PackageLimits:
    from miniport.core.policy import RULES_BY_KEY
    from miniport.releases import policy  # noqa: F401  (registers the package rows)

    return PackageLimits(
        **{
            field: RULES_BY_KEY[f"package.{field}"].default
            for field in PackageLimits.__dataclass_fields__
        }
    )


def run_case(case: str, path: Path) -> dict:
    """In a subprocess: load the archive, then time and measure one validation."""
    from miniport.core.errors import PlatformError
    from miniport.releases.packages import validate_package

    limits = _limits()
    data = path.read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    try:
        manifest = validate_package(io.BytesIO(data), limits=limits)
        outcome = f"accepted: {manifest.entry_count} entries, {manifest.total_size} bytes"
    except PlatformError as error:
        outcome = f"refused: {error.code.name}: {error.wire_message()}"
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The same validation again under tracemalloc: the peak of what Python allocated for it
    # (ru_maxrss only shows growth past the process's earlier high-water mark).
    tracemalloc.start()
    with contextlib.suppress(PlatformError):
        validate_package(io.BytesIO(data), limits=limits)
    traced_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "case": case,
        "archive_bytes": len(data),
        "seconds": round(seconds, 4),
        "extra_mb": round(max((after - before) / 1024, traced_peak / MIB), 1),
        "rss_growth_mb": round((after - before) / 1024, 1),  # ru_maxrss is in KiB on Linux
        "traced_peak_mb": round(traced_peak / MIB, 1),
        "outcome": outcome,
    }


def main() -> int:
    if len(sys.argv) > 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2], Path(sys.argv[3]))))
        return 0
    results = []
    builders = {
        "valid": build_valid,
        "bomb_honest": lambda: build_bomb(lying=False),
        "bomb_lying": lambda: build_bomb(lying=True),
    }
    with tempfile.TemporaryDirectory() as folder:
        for case, build in builders.items():
            path = Path(folder) / f"{case}.zip"
            path.write_bytes(build())
            child = subprocess.run(  # noqa: S603 (our own interpreter and script)
                [sys.executable, __file__, "--case", case, str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    missed = []
    for result in results:
        ok = result["seconds"] <= TARGET_SECONDS
        if result["case"] == "valid":
            ok = ok and result["outcome"].startswith("accepted")
        else:
            ok = (
                ok
                and result["outcome"].startswith("refused")
                and result["extra_mb"] <= TARGET_EXTRA_MB
            )
        result["ok"] = ok
        if not ok:
            missed.append(result["case"])
    if "--json" in sys.argv:
        print(json.dumps(results))
    else:
        for r in results:
            print(
                f"{r['case']:<12} {r['seconds']:>7.3f} s  +{r['extra_mb']:>6.1f} MB  "
                f"{r['archive_bytes']:>10} archive bytes  {'ok' if r['ok'] else 'MISSED'}  {r['outcome']}"
            )
        print(f"targets: <= {TARGET_SECONDS} s each; bombs <= {TARGET_EXTRA_MB} MB extra memory")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
