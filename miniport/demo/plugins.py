"""Demo data of plugins (PLG-1..PLG-11, FP-1..FP-12): the shop, a certified enterprise
mini program with a merchant, owns a released plugin; the demo mini program uses it.

Everything goes through the services, as the console and the desk would do it:
- the shop's category 工具 / 信息查询 (open to plugins), the plugin enabled with complete
  basic information and an avatar, version 1.0.0 uploaded, submitted, approved on the
  desk and released, its documentation uploaded and published;
- the plugin's payment (ordinary mode) applied for and approved, and the shop's own code
  released with `"functionalPages": true` and `functional-pages/request-payment.js`, so
  both functional pages work from a host app;
- the demo mini program applies to use the plugin and the shop approves.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from miniport.core.actors import Actor

PLUGIN_NAME = "迷你港快递查询"
PLUGIN_VERSION = "1.0.0"
OWNER_CODE_VERSION = "1.0.0"
CATEGORY = (1, 101)  # 工具 / 信息查询: approved at once, open to plugins
README = """# 迷你港快递查询插件

在小程序里输入快递单号，即可查询物流进度。

## 接入

1. 在「设置 › 第三方设置 › 插件管理」中搜索“迷你港快递查询”并申请使用；
2. 申请通过后，在 `app.json` 中声明插件：

```json
{
  "plugins": {
    "express": { "version": "1.0.0", "provider": "插件的 AppID" }
  }
}
```

3. 在页面中使用组件 `<express-query />`。

![查询页面](preview.png)
"""

REQUEST_PAYMENT_JS = """// functional-pages/request-payment.js
// The plugin's server placed the order and signed the payment; pass it on as it is.
exports.beforeRequestPayment = function (paymentArgs, callback) {
  if (!paymentArgs || !paymentArgs.package) {
    callback('paymentArgs 中没有订单', null);
    return;
  }
  callback(null, {
    timeStamp: paymentArgs.timeStamp,
    nonceStr: paymentArgs.nonceStr,
    package: paymentArgs.package,
    signType: paymentArgs.signType,
    paySign: paymentArgs.paySign,
  });
};
"""


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _png(color: tuple[int, int, int], size: tuple[int, int] = (320, 320)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def plugin_package() -> bytes:
    """The plugin's code: plugin.json, its main file and one public component."""
    return _zip(
        {
            "plugin.json": json.dumps(
                {
                    "publicComponents": {"express-query": "components/query/query"},
                    "main": "index.js",
                }
            ).encode(),
            "index.js": b"module.exports = { name: 'express' }\n",
            "components/query/query.js": b"Component({ data: { number: '' } })\n",
            "components/query/query.json": b'{"component": true}\n',
            "components/query/query.wxml": b"<input placeholder='tracking number' />\n",
            "components/query/query.wxss": b"input { border: 1px solid #ccc; }\n",
        }
    )


def owner_package() -> bytes:
    """The shop's own code: one page and the functional pages (FP-6, FP-9)."""
    return _zip(
        {
            "app.json": json.dumps(
                {"pages": ["pages/index/index"], "functionalPages": True}
            ).encode(),
            "app.js": b"App({})\n",
            "pages/index/index.js": b"Page({})\n",
            "pages/index/index.wxml": b"<view>shop</view>\n",
            "functional-pages/request-payment.js": REQUEST_PAYMENT_JS.encode(),
        }
    )


def plugin_of_shop(shop: Any):
    from miniport.plugins.development.selectors import plugin_of

    return plugin_of(shop) if shop is not None else None


def plugins_present(shop: Any, user: Any) -> bool:
    """The plugin is released and the demo mini program's application is approved."""
    from miniport.plugins.usage import selectors

    plugin = plugin_of_shop(shop)
    return (
        plugin is not None
        and selectors.has_release(plugin)
        and (user is None or selectors.approved(plugin, user))
    )


def summary(shop: Any) -> str:
    plugin = plugin_of_shop(shop)
    if plugin is None:
        return ""
    users = plugin.applications.filter(status="approved").count()
    return f"plugin {plugin.name} (AppID {plugin.appid}), released, {users} mini program using it"


def ensure_plugins(*, actor: Actor, shop: Any, user: Any, say: Callable[[str], None]) -> bool:
    """Create whatever of the plugin is missing; return whether anything was created.
    `actor` decides the reviews as the desk would."""
    if shop is None:
        return False
    admin = Actor.for_identity(shop.admin_identity)
    created = _ensure_category(admin, shop, say)
    plugin, made = _ensure_plugin(admin, shop, say)
    created |= made
    created |= _ensure_release(actor, admin, plugin, say)
    created |= _ensure_docs(admin, plugin, say)
    created |= _ensure_payment(actor, admin, plugin, say)
    created |= _ensure_owner_code(actor, admin, shop, say)
    if user is not None:
        created |= _ensure_user(admin, plugin, user, say)
    return created


def _ensure_category(admin: Actor, shop: Any, say) -> bool:
    from miniport.miniprograms.models import MiniProgramCategory
    from miniport.miniprograms.services import categories

    first, second = CATEGORY
    if MiniProgramCategory.objects.filter(
        miniprogram=shop, first_id=first, second_id=second
    ).exists():
        return False
    row = categories.category_add(actor=admin, miniprogram=shop, first=first, second=second)
    say(f"category {row.first_name} / {row.second_name} of the shop: {row.status}")
    return True


def _ensure_plugin(admin: Actor, shop: Any, say) -> tuple[Any, bool]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from miniport.plugins.development import services

    plugin = plugin_of_shop(shop)
    if plugin is not None:
        return plugin, False
    plugin = services.plugin_enable(
        actor=admin,
        miniprogram=shop,
        name=PLUGIN_NAME,
        introduction="输入快递单号查询物流进度的小程序插件",
        service_contact="plugin@miniport.local",
        category_first_id=CATEGORY[0],
        category_second_id=CATEGORY[1],
    )
    plugin = services.plugin_basic_update(
        actor=admin,
        plugin=plugin,
        name=plugin.name,
        introduction=plugin.introduction,
        service_contact=plugin.service_contact,
        add_method=plugin.add_method,
        category_first_id=plugin.category_first_id,
        category_second_id=plugin.category_second_id,
        avatar=SimpleUploadedFile("avatar.png", _png((240, 140, 40)), "image/png"),
    )
    services.plugin_devinfo_update(
        actor=admin,
        plugin=plugin,
        server_domains=["https://express.miniport-demo.example"],
        token="miniportExpress2026",
    )
    say(f"plugin {plugin.name} enabled, AppID {plugin.appid}")
    return plugin, True


def _ensure_release(actor: Actor, admin: Actor, plugin: Any, say) -> bool:
    from miniport.plugins.versions import services
    from miniport.review import services as review_services
    from miniport.review.models import Review

    if plugin.releases.exists():
        return False
    version = plugin.versions.filter(user_version=PLUGIN_VERSION).first()
    if version is None:
        version = services.plugin_version_upload(
            actor=admin,
            plugin=plugin,
            archive=io.BytesIO(plugin_package()),
            user_version=PLUGIN_VERSION,
            user_desc="首个版本：快递单号查询组件",
        )
    submission = version.submissions.order_by("-id").first()
    if submission is None:
        submission = services.plugin_version_submit_for_review(
            actor=admin,
            plugin=plugin,
            version=version,
            category=("工具", "信息查询"),
            tags="快递 查询",
            preview_images=[_png((60, 130, 220), (640, 400))],
            description="输入快递单号，展示物流进度；组件 express-query。",
        )
    if submission.state == "pending":
        review_services.review_approve(
            actor=actor, review=Review.objects.get(pk=submission.review_id), note="demo data"
        )
        submission.refresh_from_db()
    services.plugin_version_release(actor=admin, plugin=plugin, submission=submission)
    say(f"plugin version {PLUGIN_VERSION} approved and released")
    return True


def _ensure_docs(admin: Actor, plugin: Any, say) -> bool:
    from miniport.plugins.docs import selectors, services

    if selectors.published_doc(plugin) is not None:
        return False
    doc = selectors.latest_draft(plugin)
    if doc is None:
        doc = services.plugin_doc_upload(
            actor=admin,
            plugin=plugin,
            upload=_zip(
                {
                    "doc/README.md": README.encode(),
                    "doc/preview.png": _png((60, 130, 220), (480, 300)),
                }
            ),
        )
    services.plugin_doc_publish(actor=admin, doc=doc)
    say("plugin documentation published")
    return True


def _ensure_payment(actor: Actor, admin: Actor, plugin: Any, say) -> bool:
    from miniport.plugins.payment import selectors, services
    from miniport.review import services as review_services

    if selectors.approved_application(plugin) is not None:
        return False
    if not selectors.owner_has_active_merchant(plugin):
        return False
    application = selectors.open_application(plugin)
    if application is None:
        application = services.plugin_payment_apply(
            actor=admin,
            plugin=plugin,
            mode="ordinary",
            online_service="迷你港商城小程序",
            documents=[_png((200, 200, 200), (400, 300))],
        )
    review = selectors.application_review(application)
    if review is not None:
        review_services.review_approve(actor=actor, review=review, note="demo data")
    say("plugin payment approved (ordinary merchant)")
    return True


def _ensure_owner_code(actor: Actor, admin: Actor, shop: Any, say) -> bool:
    """The shop's code released with its functional pages."""
    from miniport.miniprograms.models import MiniProgramCategory
    from miniport.releases import services
    from miniport.releases.models import DevVersion, Release
    from miniport.review import services as review_services
    from miniport.review.models import Review

    if Release.objects.filter(miniprogram=shop).exists():
        return False
    version = DevVersion.objects.filter(
        miniprogram=shop, user_version=OWNER_CODE_VERSION
    ).first() or services.version_upload(
        actor=admin,
        miniprogram=shop,
        archive=io.BytesIO(owner_package()),
        user_version=OWNER_CODE_VERSION,
        user_desc="商城首页与插件功能页",
    )
    submission = version.submissions.order_by("-id").first()
    if submission is None:
        category = MiniProgramCategory.objects.get(
            miniprogram=shop, first_id=CATEGORY[0], second_id=CATEGORY[1]
        )
        submission = services.version_submit_for_review(
            actor=admin,
            miniprogram=shop,
            dev_version=version,
            items=[
                {
                    "address": "pages/index/index",
                    "tag": "商城",
                    "first_class": category.first_name,
                    "second_class": category.second_name,
                    "first_id": CATEGORY[0],
                    "second_id": CATEGORY[1],
                    "title": "首页",
                }
            ],
            description="迷你港商城与其插件的功能页",
        )
    if submission.state == "pending" and submission.review_id is not None:
        review_services.review_approve(
            actor=actor, review=Review.objects.get(pk=submission.review_id), note="demo data"
        )
    services.release_publish(actor=admin, miniprogram=shop)
    say(f"shop code {OWNER_CODE_VERSION} released with functional pages")
    return True


def _ensure_user(admin: Actor, plugin: Any, user: Any, say) -> bool:
    from miniport.plugins.models import PluginApplication, PluginApplicationStatus
    from miniport.plugins.usage import services

    live = PluginApplication.objects.filter(
        plugin=plugin,
        miniprogram=user,
        status__in=(PluginApplicationStatus.APPLYING, PluginApplicationStatus.APPROVED),
    ).first()
    if live is not None and live.status == PluginApplicationStatus.APPROVED:
        return False
    if live is None:
        live = services.plugin_apply(
            actor=Actor.for_identity(user.admin_identity),
            miniprogram=user,
            plugin=plugin,
            reason="在演示小程序中提供快递查询",
        )
    if live.status == PluginApplicationStatus.APPLYING:
        services.plugin_application_agree(actor=admin, plugin=plugin, application=live)
    say(f"{user.name or user.appid} uses the plugin {plugin.name}")
    return True
