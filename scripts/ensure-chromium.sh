#!/bin/sh
# Browser tests drive Debian's Chromium through Playwright; Playwright never downloads a browser.
# A CJK font makes the Chinese pages readable in screenshots (and in the offline material images).
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "wqy\|noto.*cjk"; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
    || echo "could not install chromium; browser tests will fail" >&2
else
  echo "chromium is missing and cannot be installed without root; browser tests will fail" >&2
fi
exit 0
