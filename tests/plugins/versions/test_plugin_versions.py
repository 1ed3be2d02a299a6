"""PLG-7 and PLG-8: plugin versions uploaded like mini program code (stored once per
sha256, nothing stored on a refusal, no experience version), submitted for review with
a service category, tags, preview images and a description, decided on the ops desk
(approve, reject with reasons, delay), withdrawn, and released; several released
versions stay loadable."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import OutboxEvent
from miniport.core.services import policy_set_override
from miniport.plugins.models import PluginRelease, PluginSubmissionState, PluginVersion
from miniport.plugins.versions import selectors, services
from miniport.plugins.versions.errors import PluginVersionError
from miniport.releases.errors import ReleaseError
from miniport.releases.models import CodePackage
from miniport.releases.packages import storage
from miniport.releases.packages.pluginjson import PluginPackageError
from miniport.review import registry
from miniport.review import services as review_services
from tests.plugins.makers import plugin_files, plugin_zip, release_plugin_version
from tests.releases.zips import make_zip

from .support import REVIEWER, approve, kept_files, png, refused, review_of, submit, upload

pytestmark = pytest.mark.django_db


# --- PLG-7: uploads ----------------------------------------------------------------------


def test_plg7_an_upload_stores_the_package_once_per_sha256(make_plugin):
    owner = make_plugin()
    first = upload(owner, "1.0.0", data=plugin_zip("same"))
    second = upload(owner, "1.0.1", data=plugin_zip("same"))
    assert first.package_id == second.package_id
    assert CodePackage.objects.count() == 1
    assert storage.exists(first.package.storage_name)
    assert first.developer_label == owner.developer.wechat_id
    manifest = first.package.manifest
    assert manifest["plugin"]["public_components"] == [["hello", "components/hello/hello"]]


def test_plg7_the_latest_upload_is_the_development_version_there_is_no_experience(make_plugin):
    owner = make_plugin()
    upload(owner, "1.0.0")
    latest = upload(owner, "1.0.1")
    assert selectors.latest_version(owner.plugin) == latest
    assert not hasattr(services, "plugin_experience_set")


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"app.json": b'{"pages": []}'}, ReleaseError.APP_JSON_MISSING),
        (
            {k: v for k, v in plugin_files().items() if k != "components/hello/hello.wxml"},
            PluginPackageError.PLUGIN_COMPONENT_FILES_MISSING,
        ),
    ],
)
def test_plg7_a_refused_package_stores_nothing(make_plugin, files, code):
    owner = make_plugin()
    refused(lambda: upload(owner, data=make_zip(files)), code)


def test_plg7_a_package_that_is_not_a_zip_stores_nothing(make_plugin):
    owner = make_plugin()
    refused(lambda: upload(owner, data=b"not a zip at all"), ReleaseError.PACKAGE_NOT_A_ZIP)


def test_plg7_a_version_number_is_required(make_plugin):
    owner = make_plugin()
    refused(lambda: upload(owner, "  "), CoreError.FIELD_REQUIRED, field=None)


# --- PLG-8: submission -------------------------------------------------------------------


def test_plg8_a_submission_goes_to_the_desk_with_category_tags_images_and_description(
    make_plugin,
):
    owner = make_plugin()
    submission = submit(owner, tags="查询, 工具 查询", preview_images=[png(), png(color="blue")])
    assert submission.state == PluginSubmissionState.PENDING
    assert (submission.category_first_name, submission.category_second_name) == ("工具", "信息查询")
    assert submission.tags == ["查询", "工具"]
    assert len(submission.preview_images) == 2
    review = review_of(submission)
    assert review.kind == "plugin" and review.appid == owner.appid
    described = registry.get("plugin").describe(review)
    shown = str(described.facts)
    assert owner.plugin.name in shown and owner.plugin.appid in shown and "查询, 工具" in shown
    assert "查询天气的插件" in str(described.facts)
    assert len(described.documents) == 2
    data, fmt = registry.get("plugin").document(review, described.documents[0][0])
    assert fmt.lower() == "png" and Image.open(io.BytesIO(data)).size == (64, 48)


def test_plg8_preview_images_are_re_encoded_without_their_metadata(make_plugin):
    owner = make_plugin()
    out = io.BytesIO()
    image = Image.new("RGB", (20, 20), "green")
    exif = Image.Exif()
    exif[0x010E] = "secret description"
    image.save(out, "JPEG", exif=exif)
    submission = submit(owner, preview_images=[out.getvalue()])
    review = review_of(submission)
    data, _fmt = registry.get("plugin").document(review, "preview1")
    assert b"secret description" not in data


def test_plg8_basic_information_must_be_complete(make_plugin):
    owner = make_plugin(introduction="")
    version = upload(owner)
    refused(lambda: submit(owner, version), PluginVersionError.BASIC_INFO_INCOMPLETE)


def test_plg8_one_submission_open_at_a_time(make_plugin):
    owner = make_plugin()
    submit(owner)
    second = upload(owner, "1.0.1")
    refused(lambda: submit(owner, second), PluginVersionError.SUBMISSION_OPEN)


def test_plg8_a_released_version_is_not_submitted_again(make_plugin):
    owner = make_plugin()
    version = upload(owner)
    approve(submit(owner, version))
    services.plugin_version_release(
        actor=owner.admin_actor, plugin=owner.plugin, submission=version.submissions.get()
    )
    refused(lambda: submit(owner, version), PluginVersionError.ALREADY_RELEASED)


def test_plg8_the_category_must_be_available_to_the_plugin(make_plugin):
    owner = make_plugin()
    version = upload(owner)
    refused(
        lambda: submit(owner, version, category="游戏/休闲"),
        PluginVersionError.CATEGORY_UNAVAILABLE,
    )


def test_plg8_tags_are_required_and_limited_by_policy(make_plugin):
    owner = make_plugin()
    version = upload(owner)
    refused(lambda: submit(owner, version, tags=""), CoreError.FIELD_REQUIRED, field=None)
    refused(
        lambda: submit(owner, version, tags="一 二 三 四 五 六"), PluginVersionError.TAGS_INVALID
    )
    refused(
        lambda: submit(owner, version, tags="十一个字的超长标签啊啊"),
        PluginVersionError.TAGS_INVALID,
    )
    policy_set_override(actor=Actor.system("tests"), key="plugin_version.max_tags", value=6)
    assert submit(owner, version, tags="一 二 三 四 五 六").tags[-1] == "六"


def test_plg8_preview_images_are_required_counted_and_checked(make_plugin):
    owner = make_plugin()
    version = upload(owner)
    refused(lambda: submit(owner, version, preview_images=[]), CoreError.FIELD_REQUIRED)
    refused(
        lambda: submit(owner, version, preview_images=[png()] * 6),
        PluginVersionError.PREVIEW_IMAGES_INVALID,
    )
    with pytest.raises(PlatformError) as caught:
        submit(owner, version, preview_images=[b"<svg>not an image</svg>"])
    assert getattr(caught.value, "field", None) == "preview_images"
    assert kept_files() == []


def test_plg8_a_description_is_required(make_plugin):
    owner = make_plugin()
    version = upload(owner)
    refused(lambda: submit(owner, version, description="  "), CoreError.FIELD_REQUIRED)


def test_plg8_a_version_of_another_plugin_is_refused(make_plugin):
    owner, other = make_plugin(), make_plugin()
    foreign = upload(other)
    refused(lambda: submit(owner, foreign), PluginVersionError.VERSION_NOT_FOUND)


# --- PLG-8: the desk ---------------------------------------------------------------------


def test_plg8_the_desk_approves_and_the_owner_is_told(make_plugin):
    owner = make_plugin()
    submission = approve(submit(owner))
    assert submission.state == PluginSubmissionState.APPROVED
    assert submission.decided_at is not None
    assert OutboxEvent.objects.filter(kind="plugin.audit_success", appid=owner.appid).exists()


def test_plg8_the_desk_rejects_with_reasons(make_plugin):
    owner = make_plugin()
    submission = submit(owner)
    review_services.review_reject(actor=REVIEWER, review=review_of(submission), reasons="图片模糊")
    submission.refresh_from_db()
    assert submission.state == PluginSubmissionState.REJECTED
    assert submission.reasons == ["图片模糊"]
    event = OutboxEvent.objects.get(kind="plugin.audit_fail")
    assert event.payload["reason"] == "图片模糊"
    # A rejected submission is closed: another may be submitted.
    assert submit(owner, upload(owner, "1.0.1")).is_open


def test_plg8_a_delayed_review_stays_open(make_plugin):
    owner = make_plugin()
    submission = submit(owner)
    review_services.review_delay(actor=REVIEWER, review=review_of(submission), reasons="排队中")
    submission.refresh_from_db()
    assert submission.state == PluginSubmissionState.DELAYED and submission.is_open
    assert OutboxEvent.objects.filter(kind="plugin.audit_delay").exists()


def test_plg8_a_member_of_the_owner_may_not_review(make_plugin):
    owner = make_plugin()
    review = review_of(submit(owner))
    assert registry.get("plugin").is_member(review, owner.developer_actor)
    assert not registry.get("plugin").is_member(review, REVIEWER)


def test_plg8_the_owner_withdraws_an_open_submission(make_plugin):
    owner = make_plugin()
    submission = submit(owner)
    withdrawn = services.plugin_submission_withdraw(
        actor=owner.admin_actor, plugin=owner.plugin, submission=submission
    )
    assert withdrawn.state == PluginSubmissionState.WITHDRAWN
    assert review_of(submission).state == "withdrawn"
    refused(
        lambda: services.plugin_submission_withdraw(
            actor=owner.admin_actor, plugin=owner.plugin, submission=submission
        ),
        PluginVersionError.NOTHING_OPEN,
    )


# --- PLG-8: release ----------------------------------------------------------------------


def test_plg8_an_approved_version_is_released_and_earlier_releases_stay(make_plugin):
    owner = make_plugin()
    release_plugin_version(owner.plugin, "0.9.0")
    submission = approve(submit(owner, upload(owner, "1.0.0")))
    release = services.plugin_version_release(
        actor=owner.admin_actor, plugin=owner.plugin, submission=submission
    )
    assert release.user_version == "1.0.0"
    assert sorted(selectors.releases_of(owner.plugin).values_list("user_version", flat=True)) == [
        "0.9.0",
        "1.0.0",
    ]
    assert OutboxEvent.objects.filter(kind="plugin.released").exists()


def test_plg8_a_submission_not_approved_is_not_released(make_plugin):
    owner = make_plugin()
    submission = submit(owner)
    refused(
        lambda: services.plugin_version_release(
            actor=owner.admin_actor, plugin=owner.plugin, submission=submission
        ),
        PluginVersionError.NOT_APPROVED,
    )


def test_plg8_a_version_number_is_released_once_per_plugin(make_plugin):
    """PLG-8: an upload of a released number is refused since the version number rule
    (test_plugin_version_numbers.py); a version stored before it (as a row) and approved
    is still never released twice."""
    owner = make_plugin()
    release_plugin_version(owner.plugin, "1.0.0")
    submission = approve(submit(owner, upload(owner, "1.0.1")))
    PluginVersion.objects.filter(pk=submission.version_id).update(user_version="1.0.0")
    refused(
        lambda: services.plugin_version_release(
            actor=owner.admin_actor, plugin=owner.plugin, submission=submission
        ),
        PluginVersionError.ALREADY_RELEASED,
    )
    assert PluginRelease.objects.filter(plugin=owner.plugin).count() == 1
    assert PluginVersion.objects.filter(plugin=owner.plugin).count() == 2


def test_plg8_the_database_keeps_one_open_submission_when_the_check_is_raced(
    make_plugin, monkeypatch
):
    """PLG-8: the constraint plugin_submission_one_open_per_plugin is the last line: a
    second submission that slipped past the check is refused, its images not kept."""
    owner = make_plugin()
    submit(owner)
    second = upload(owner, "1.0.1")
    monkeypatch.setattr(selectors, "open_submission", lambda plugin: None)
    refused(lambda: submit(owner, second), PluginVersionError.SUBMISSION_OPEN)
