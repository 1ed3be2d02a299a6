"""OPN-1 in the mini program console (Settings › Association settings › Open platform): the
administrator creates an open account, submits its certification, binds a mini program
of another subject (its administrator's scan) and unbinds it; another subject's account
is 404."""

from __future__ import annotations

from django.test import Client

from miniport.identities import services as identity_services
from miniport.links.open_platform.models import Certification, OpenAccount, OpenBinding
from miniport.review import services as review_services
from miniport.review.models import Review
from tests.links.open_platform.makers import REVIEWER, certified_account, upload
from tests.miniprograms.conftest import console_login


def _admin(mp) -> Client:
    client = Client()
    console_login(client, mp.admin_identity, mp.appid)
    return client


def test_opn1_the_administrator_creates_certifies_and_binds_by_scan(provision):
    owner = provision("enterprise", certified=True).miniprogram
    other = provision("personal").miniprogram
    client = _admin(owner)
    assert client.get("/settings/links/open/").status_code == 200
    response = client.post("/settings/links/open/act/", {"op": "create"})
    account = OpenAccount.objects.get(principal_key__isnull=False, created_by=owner)
    assert response.status_code == 302 and account.open_appid in response.url
    page = f"/settings/links/open/{account.open_appid}/"
    act = page + "act/"
    refused = client.post(act, {"op": "bind", "appid": other.appid})
    assert refused.status_code == 400  # not certified yet: only its creator is bound
    assert list(OpenBinding.objects.values_list("miniprogram", flat=True)) == [owner.pk]
    assert client.post(act, {"op": "certify", "document_1": upload()}).status_code == 302
    account.refresh_from_db()
    assert account.certification == Certification.PENDING
    review = Review.objects.get(kind="open_certification", target_id=str(account.pk))
    review_services.review_approve(actor=REVIEWER, review=review)
    assert client.post(act, {"op": "bind", "appid": other.appid}).status_code == 302
    shown = client.get(page)
    assert shown.status_code == 200 and b'data-testid="ticket"' in shown.content
    ticket = shown.context["ticket"]
    identity_services.ticket_confirm(identity=other.admin_identity, token=ticket.token)
    assert OpenBinding.objects.get(miniprogram=other).open_account == account
    assert client.post(act, {"op": "unbind", "appid": other.appid}).status_code == 302
    assert not OpenBinding.objects.filter(miniprogram=other).exists()


def test_opn1_an_unknown_appid_is_refused_on_the_field(provision):
    owner = provision("enterprise", certified=True).miniprogram
    account = certified_account(owner)
    client = _admin(owner)
    for appid in ("wx0000000000000000", "wx\x00x"):
        response = client.post(
            f"/settings/links/open/{account.open_appid}/act/", {"op": "bind", "appid": appid}
        )
        assert response.status_code == 400
        assert response.context["bind_form"].errors["appid"]
    assert not OpenBinding.objects.exists()


def test_opn1_another_subjects_open_account_is_404(provision):
    owner = provision("enterprise", certified=True).miniprogram
    stranger = provision("personal").miniprogram
    account = certified_account(owner)
    client = _admin(stranger)
    assert client.get(f"/settings/links/open/{account.open_appid}/").status_code == 404
    response = client.post(
        f"/settings/links/open/{account.open_appid}/act/", {"op": "certify", "document_1": upload()}
    )
    assert response.status_code == 404
    assert client.get("/settings/links/open/wx%00/").status_code == 404


def test_opn1_the_mini_program_unbinds_itself_from_its_settings(provision):
    owner = provision("enterprise", certified=True).miniprogram
    account = certified_account(owner)
    from miniport.links.open_platform import services
    from tests.links.open_platform.makers import SYSTEM

    services.open_bind(actor=SYSTEM, account=account, miniprogram=owner, via_api=False)
    client = _admin(owner)
    assert account.open_appid.encode() in client.get("/settings/links/open/").content
    assert client.post("/settings/links/open/act/", {"op": "unbind"}).status_code == 302
    assert not OpenBinding.objects.exists()


def test_opn1_an_unbind_submitted_twice_says_it_is_not_bound_and_changes_nothing(provision):
    from miniport.links.open_platform import services
    from tests.links.open_platform.makers import SYSTEM

    owner = provision("enterprise", certified=True).miniprogram
    other = provision("personal").miniprogram
    account = certified_account(owner)
    services.open_bind(actor=SYSTEM, account=account, miniprogram=owner, via_api=False)
    services.open_bind(actor=SYSTEM, account=account, miniprogram=other, via_api=False)
    client = _admin(owner)
    act = f"/settings/links/open/{account.open_appid}/act/"
    for _ in range(2):  # a double click: the second finds nothing bound, says so
        assert client.post(act, {"op": "unbind", "appid": other.appid}).status_code == 302
        assert client.post("/settings/links/open/act/", {"op": "unbind"}).status_code == 302
    shown = client.get(f"/settings/links/open/{account.open_appid}/")
    assert "该小程序未绑定此开放平台帐号" in shown.content.decode() or b"not bound" in shown.content
    account.refresh_from_db()
    assert account.bound_count == 0 and not OpenBinding.objects.exists()


def test_opn1_creating_from_the_console_binds_the_creating_mini_program_once(provision):
    """The account made from a mini program's settings has that mini program bound; a
    second create (another click, another tab) is refused and makes no account."""
    owner = provision("enterprise", certified=True).miniprogram
    client = _admin(owner)
    assert client.post("/settings/links/open/act/", {"op": "create"}).status_code == 302
    account = OpenAccount.objects.get(created_by=owner)
    assert OpenBinding.objects.get(miniprogram=owner).open_account == account
    account.refresh_from_db()
    assert account.bound_count == 1
    again = client.post("/settings/links/open/act/", {"op": "create"}, follow=True)
    assert again.status_code == 200
    assert OpenAccount.objects.filter(created_by=owner).count() == 1
    assert b'data-testid="create-open"' not in again.content
