#!/bin/sh
# `make bench` loads the server with wrk (a C load generator) so the load does not eat the
# CPU the server is measured on; without it scripts/bench.py falls back to its own client.
if command -v wrk >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's wrk for the benchmark"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
    || echo "could not install wrk; the benchmark uses its own Python client" >&2
else
  echo "wrk is missing and cannot be installed without root; the benchmark uses its own Python client" >&2
fi
exit 0
