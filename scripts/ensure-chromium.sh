#!/bin/sh
# Browser tests drive Debian's Chromium through Playwright; Playwright never downloads a browser.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "could not install chromium; browser tests will fail" >&2
else
  echo "chromium is missing and cannot be installed without root; browser tests will fail" >&2
fi
exit 0
