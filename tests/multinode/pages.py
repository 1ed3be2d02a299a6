"""The web pages a real person uses, driven over HTTP with `requests` (one session per
browser or phone): the console login with the administrator's scan, the AppSecret reset,
a webhook, the ops desk's policy table. A session's cookie is sent to every node, as a
browser behind a load balancer sends it to whichever node answers."""

from __future__ import annotations

import html
import re

import requests

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TICKET = re.compile(r'data-testid="ticket" data-token="([^"]+)"')
_SECRET = re.compile(r'data-testid="secret-value">([0-9a-f]{32})<')


class Browser:
    """A browser's cookie jar; each call names the node that answers it."""

    def __init__(self) -> None:
        self.session = requests.Session()

    def get(self, base: str, path: str) -> requests.Response:
        answer = self.session.get(base + path, timeout=30)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:500])
        return answer

    def submit(self, base: str, path: str, form_page: str, **fields: str) -> requests.Response:
        """POST `fields` to `path` with the CSRF token of the page at `form_page`."""
        page = self.get(base, form_page).text
        found = _CSRF.search(page)
        assert found, f"no CSRF token on {form_page}"
        answer = self.session.post(
            base + path,
            data={"csrfmiddlewaretoken": found.group(1), **fields},
            timeout=30,
            allow_redirects=False,
        )
        assert answer.status_code in (200, 302), (path, answer.status_code, answer.text[:500])
        return answer


def ticket_token(page: str) -> str:
    found = _TICKET.search(page)
    assert found, "no QR ticket on the page"
    return html.unescape(found.group(1))


def phone_confirms(phone: Browser, base: str, token: str) -> None:
    """The administrator opens the QR's page on the phone and confirms."""
    path = f"/m/scan/{token}/"
    done = phone.submit(base, path, path, decision="confirm")
    assert done.status_code == 200 and 'data-testid="ticket-error"' not in done.text


def phone_sign_in(phone: Browser, base: str, wechat_id: str, password: str) -> None:
    answer = phone.submit(base, "/m/login/", "/m/login/", wechat_id=wechat_id, password=password)
    assert answer.status_code == 302, answer.text[:500]


def console_login(desk: Browser, phone: Browser, bases: tuple[str, str], email: str, password: str):
    """Email and password on the first node, the scan's confirmation on the phone through the
    second, the login completed on the first again."""
    first, second = bases
    answer = desk.submit(first, "/login/", "/login/", email=email, password=password)
    assert answer.headers.get("Location", "").endswith("/login/scan/"), answer.text[:500]
    token = ticket_token(desk.get(first, "/login/scan/").text)
    phone_confirms(phone, second, token)
    done = desk.submit(first, "/login/scan/complete/", "/login/scan/")
    assert done.status_code == 302 and "/login" not in done.headers["Location"]


def reset_secret(desk: Browser, phone: Browser, base: str, phone_base: str) -> str:
    """Development settings › reset the AppSecret › the administrator's scan › the new secret,
    shown once."""
    started = desk.submit(base, "/settings/dev/secret/", "/settings/dev/")
    assert started.headers["Location"].endswith("/settings/dev/secret/confirm/")
    confirm = "/settings/dev/secret/confirm/"
    phone_confirms(phone, phone_base, ticket_token(desk.get(base, confirm).text))
    done = desk.submit(base, confirm, confirm)
    assert done.headers.get("Location", "").endswith("/settings/dev/secret/shown/"), done.text[:500]
    found = _SECRET.search(desk.get(base, "/settings/dev/secret/shown/").text)
    assert found, "the new AppSecret is not shown"
    return found.group(1)


def add_webhook(desk: Browser, base: str, url: str, events: str) -> None:
    path = "/settings/dev/webhooks/add/"
    created = desk.submit(base, path, path, url=url, events=events)
    assert created.status_code == 200 and "whsec_" in created.text, created.text[:500]


def ops_login(ops: Browser, base: str, email: str, password: str) -> None:
    answer = ops.submit(base, "/ops/login/", "/ops/login/", email=email, password=password)
    assert answer.status_code == 302, answer.text[:500]


def set_policy(ops: Browser, base: str, key: str, value: int) -> None:
    """The ops desk's policy table: the operator's override of one rule."""
    done = ops.submit(base, "/ops/policy/set/", "/ops/policy/", key=key, value=str(value))
    assert done.status_code == 302, done.text[:500]
