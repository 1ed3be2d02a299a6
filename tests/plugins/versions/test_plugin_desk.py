"""PLG-8 on the ops desk: the generic queue lists the plugin submission (kind "plugin");
its detail shows the plugin, the version, the category, the tags, the description and
the preview images; approving and rejecting with a reason decide the submission."""

from __future__ import annotations

import pytest

from miniport.accounts.models import Account, AccountKind
from miniport.plugins.models import PluginSubmissionState

from .support import review_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = Account.objects.create_user(
        "desk@miniport.example", "desk-pass-123", is_staff=True, is_active=True,
        kind=AccountKind.STAFF,
    )  # fmt: skip
    client.force_login(staff)
    return client


def test_plg8_the_desk_lists_and_shows_a_plugin_submission(staff_client, make_plugin):
    owner = make_plugin()
    submission = submit(owner, tags="天气 查询", description="查询天气的插件")
    review = review_of(submission)
    queue = staff_client.get("/ops/reviews/").content.decode()
    assert f"/ops/reviews/{review.pk}/" in queue
    response = staff_client.get(f"/ops/reviews/{review.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (owner.plugin.name, owner.plugin.appid, "1.0.0", "天气, 查询", "查询天气的插件"):
        assert shown in html, shown
    image = staff_client.get(f"/ops/reviews/{review.pk}/documents/preview1/")
    assert image.status_code == 200 and image.content[:4] == b"\x89PNG"


def test_plg8_the_desk_approves_a_plugin_submission(staff_client, make_plugin):
    owner = make_plugin()
    submission = submit(owner)
    review = review_of(submission)
    staff_client.post(f"/ops/reviews/{review.pk}/approve/")
    submission.refresh_from_db()
    assert submission.state == PluginSubmissionState.APPROVED


def test_plg8_the_desk_rejects_a_plugin_submission_with_a_reason(staff_client, make_plugin):
    owner = make_plugin()
    submission = submit(owner)
    review = review_of(submission)
    staff_client.post(f"/ops/reviews/{review.pk}/reject/", {"reason": "预览图与功能不符"})
    submission.refresh_from_db()
    assert submission.state == PluginSubmissionState.REJECTED
    assert "预览图与功能不符" in " ".join(submission.reasons)
