"""One-click demo identities exist in demo mode, and only there."""

import pytest

from miniport.core.models import AuditEntry
from miniport.mobile.auth import SESSION_IDENTITY

LOGIN = "/m/login/"
DEMO_LOGIN = "/m/demo-login/"


@pytest.fixture
def demo(make_identity):
    return make_identity("demo_admin", nickname="演示管理员", is_demo=True)


def test_demo_mode_lists_demo_identities_only(settings, client, demo, make_identity):
    settings.DEMO_MODE = True
    make_identity("private_user")
    page = client.get(LOGIN).content.decode()
    assert 'data-testid="demo-identities"' in page
    assert 'data-testid="demo-login-demo_admin"' in page
    assert "private_user" not in page


def test_demo_mode_signs_in_with_one_click(settings, client, demo):
    settings.DEMO_MODE = True
    response = client.post(DEMO_LOGIN, {"identity": demo.pk, "next": "/m/scan/abc/"})
    assert response.status_code == 302
    assert response["Location"] == "/m/scan/abc/"
    assert client.session[SESSION_IDENTITY] == demo.pk
    assert AuditEntry.objects.filter(action="identity.sign_in", after__method="demo").exists()


def test_demo_sign_in_refuses_an_identity_that_is_not_a_demo(settings, client, make_identity):
    settings.DEMO_MODE = True
    private = make_identity("private_user")
    assert client.post(DEMO_LOGIN, {"identity": private.pk}).status_code == 404
    assert client.session.get(SESSION_IDENTITY) is None


@pytest.mark.parametrize("junk", ["", "abc", "-5", "1e3", "99999999999999999999999"])
def test_demo_sign_in_answers_junk_with_not_found(settings, client, demo, junk):
    settings.DEMO_MODE = True
    assert client.post(DEMO_LOGIN, {"identity": junk}).status_code == 404
    assert client.session.get(SESSION_IDENTITY) is None


def test_demo_sign_in_needs_a_post(settings, client, demo):
    settings.DEMO_MODE = True
    assert client.get(DEMO_LOGIN).status_code == 405


def test_without_demo_mode_no_demo_identity_is_offered(settings, client, demo):
    settings.DEMO_MODE = False
    page = client.get(LOGIN).content.decode()
    assert "demo-identities" not in page
    assert "demo_admin" not in page


def test_without_demo_mode_one_click_sign_in_does_not_exist(settings, client, demo):
    settings.DEMO_MODE = False
    before = AuditEntry.objects.count()
    assert client.post(DEMO_LOGIN, {"identity": demo.pk}).status_code == 404
    assert client.get(DEMO_LOGIN).status_code == 404
    assert client.session.get(SESSION_IDENTITY) is None
    assert AuditEntry.objects.count() == before
