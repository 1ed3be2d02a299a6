#!/bin/sh
# `miniport serve` runs Debian's nginx in front of gunicorn (slow clients, body caps); the
# tests that start a real server need it too. Installed once, never started as a system service.
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's nginx for miniport serve"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null) \
    || { echo "could not install nginx; miniport serve will refuse to start without it" >&2; exit 0; }
  # The package's own server is not Miniport's: Miniport starts its own nginx with its own config.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
else
  echo "nginx is missing and cannot be installed without root (apt-get install nginx); miniport serve will refuse to start without it" >&2
fi
exit 0
