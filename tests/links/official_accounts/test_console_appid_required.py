"""OA-3 in the official-account console: associating without an AppID asks for one on
the AppID field, in the page's language, instead of the API's "invalid appid"; nothing
is stored."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.core.models import AuditEntry
from miniport.links.official_accounts.models import OfficialAccountLink
from miniport.miniprograms.errors import MiniProgramError
from miniport.web.sentences import sentence
from tests.links.linked_console import linked

pytestmark = pytest.mark.django_db

ASK = {"en": "Enter the AppID of the mini program.", "zh": "请输入小程序的 AppID。"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("typed", ["", "  "], ids=["empty", "blank"])
def test_oa3_associating_without_an_appid_asks_for_it_on_the_field(make_oa, lang, typed):
    oa = make_oa()
    client = linked(oa.admin_identity, "zh-hans" if lang == "zh" else "en")
    audit_rows = AuditEntry.objects.count()
    response = client.post(
        reverse("console:official_account_links", args=[oa.appid]), {"appid": typed}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"appid": [ASK[lang]]}
    html = response.content.decode()
    wire = MiniProgramError.INVALID_APPID.message("zh-hans" if lang == "zh" else "en")
    assert ASK[lang] in html and sentence(wire) not in html
    assert not OfficialAccountLink.objects.exists()
    assert AuditEntry.objects.count() == audit_rows
