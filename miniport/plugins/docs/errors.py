"""Refusals of plugin documentation (PLG-6): the uploaded `doc/` folder, its README.md
and images, publishing."""

from miniport.core.errors import ErrorCode


class DocError(ErrorCode):
    # (errcode or None, Chinese message, English message)
    NOT_A_ZIP = (
        None,
        "文档压缩包不是有效的 zip 文件：{reason}",
        "the documentation archive is not a zip archive: {reason}",
    )
    README_MISSING = (None, "文档目录中缺少 README.md", "the doc folder has no README.md")
    README_NOT_UTF8 = (
        None,
        "README.md 不是 UTF-8 编码的文本",
        "README.md is not UTF-8 text",
    )
    README_TOO_LARGE = (
        None,
        "README.md 超过 {limit} 字节",
        "README.md is larger than {limit} bytes",
    )
    README_TOO_COMPLEX = (
        None,
        "README.md 过于复杂：渲染后有 {tags} 个标签，最多 {limit} 个",
        "README.md is too complex: it renders to {tags} HTML tags, at most {limit}",
    )
    FILE_NOT_ALLOWED = (
        None,
        "文档目录只能包含 README.md 和图片（png、jpg、jpeg、gif）：{entry}",
        "the doc folder holds only README.md and images (png, jpg, jpeg, gif): {entry}",
    )
    IMAGE_INVALID = (None, "图片无效：{entry}（{reason}）", "invalid image: {entry} ({reason})")
    IMAGE_TOO_LARGE = (
        None,
        "图片超过 {limit} 字节：{entry}",
        "the image is larger than {limit} bytes: {entry}",
    )
    TOO_MANY_IMAGES = (
        None,
        "文档最多包含 {limit} 张图片",
        "the doc folder holds at most {limit} images",
    )
    NETWORK_IMAGE = (
        None,
        "第 {line} 行：文档不能引用网络图片，请把图片放入文档目录",
        "line {line}: a document may not show a network image; put the image in the doc folder",
    )
    IMAGE_NOT_LOCAL = (
        None,
        "第 {line} 行：图片地址无效",
        "line {line}: invalid image address",
    )
    IMAGE_MISSING = (
        None,
        "第 {line} 行：文档目录中没有图片 {name}",
        "line {line}: the doc folder has no image {name}",
    )
    NOT_A_FOLDER = (None, "不是一个文件夹：{path}", "not a folder: {path}")
    ALREADY_PUBLISHED = (None, "该文档已发布", "this document is already published")
