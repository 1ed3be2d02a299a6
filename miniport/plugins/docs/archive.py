"""Reading an uploaded `doc/` folder (PLG-6) without extracting it: the entry names and
kinds go through the code packages' checks (`releases.packages.names`: no traversal, no
absolute or drive names, no symbolic links or special files, no duplicates) and every
entry is inflated by `releases.packages.reader` against the size, ratio and total limits,
so a bomb stops at its first oversized chunk.

The folder holds README.md (required) and images only: png, jpg, jpeg and gif (webp is
not taken: the images are kept beside the console's other images, which know these
formats). Any other file is refused, naming it. Entries may sit under a leading `doc/`
(the folder zipped with its name) or at the top.
"""

from __future__ import annotations

import io
import os
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.plugins.docs.errors import DocError
from miniport.releases.errors import ReleaseError
from miniport.releases.packages import names, reader
from miniport.releases.packages.manifest import PackageLimits
from miniport.releases.packages.validation import open_zip, zip_folder

README = "README.md"
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif")


@dataclass
class DocFolder:
    """README.md's bytes and each image's bytes by its name inside `doc/`."""

    readme: bytes = b""
    images: dict[str, bytes] = field(default_factory=dict)


def _limits() -> PackageLimits:
    base = PackageLimits.from_policy()
    return PackageLimits(
        max_main_bytes=base.max_main_bytes,
        max_subpackage_bytes=base.max_subpackage_bytes,
        max_total_bytes=policy.value("plugin.doc_max_zip_bytes"),
        max_entry_bytes=policy.value("plugin.doc_image_max_bytes"),
        max_entries=policy.value("plugin.doc_max_entries"),
        max_path_depth=base.max_path_depth,
        max_path_chars=base.max_path_chars,
        max_compression_ratio=base.max_compression_ratio,
        ratio_grace_bytes=base.ratio_grace_bytes,
    )


def _open(fp: BinaryIO, limits: PackageLimits) -> zipfile.ZipFile:
    try:
        archive = open_zip(fp, limits, entry="doc")
    except PlatformError as refused:
        # The code packages' check speaks of a code package; this is the documentation.
        if refused.code != ReleaseError.PACKAGE_NOT_A_ZIP:
            raise
        raise PlatformError(DocError.NOT_A_ZIP, field=refused.field, **refused.params) from refused
    if len(archive.infolist()) > limits.max_entries:
        raise PlatformError(
            ReleaseError.TOO_MANY_ENTRIES,
            entry="doc",
            count=len(archive.infolist()),
            limit=limits.max_entries,
        )
    return archive


def _prefix(files: list[str]) -> str:
    """`doc/` when every file sits in it (the folder zipped with its name), else ''."""
    if files and all(name.startswith("doc/") for name in files):
        return "doc/"
    return ""


def read_zip(source: BinaryIO | bytes) -> DocFolder:
    """The README and images of an uploaded zip; a coded refusal naming the entry."""
    limits = _limits()
    fp: BinaryIO = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    fp.seek(0, io.SEEK_END)
    if fp.tell() > limits.max_total_bytes:
        raise PlatformError(
            ReleaseError.TOTAL_TOO_LARGE,
            entry="doc",
            size=fp.tell(),
            limit=limits.max_total_bytes,
        )
    fp.seek(0)
    archive = _open(fp, limits)
    index = names.NameIndex()
    infos = []
    for info in archive.infolist():
        name = names.check_name(info.filename)
        names.check_extent(name, max_depth=limits.max_path_depth, max_chars=limits.max_path_chars)
        names.check_kind(info, name)
        index.add(name, info.is_dir())
        if not info.is_dir():
            infos.append((name, info))
    prefix = _prefix([name for name, _info in infos])
    readme_limit = policy.value("plugin.doc_readme_max_bytes")
    image_limit = policy.value("plugin.doc_image_max_bytes")
    max_images = policy.value("plugin.doc_max_images")
    budget = reader.Budget(limits.max_total_bytes)
    folder = DocFolder()
    has_readme = False
    for name, info in infos:
        inner = name[len(prefix) :]
        if inner == README:
            limit = readme_limit
            code = DocError.README_TOO_LARGE
        elif inner.lower().endswith(IMAGE_EXTENSIONS) and not inner.startswith("."):
            limit = image_limit
            code = DocError.IMAGE_TOO_LARGE
            if len(folder.images) >= max_images:
                raise PlatformError(DocError.TOO_MANY_IMAGES, limit=max_images)
        else:
            raise PlatformError(DocError.FILE_NOT_ALLOWED, entry=name)
        if info.file_size > limit:
            raise PlatformError(code, entry=name, limit=limit)
        chunks: list[bytes] = []
        start, _end = reader.data_start(fp, info, name)
        try:
            reader.inflate(
                fp,
                info,
                name,
                start,
                max_entry=limit,
                max_ratio=limits.max_compression_ratio,
                ratio_grace=limits.ratio_grace_bytes,
                budget=budget,
                sink=chunks.append,
            )
        except PlatformError as error:
            if error.code == ReleaseError.ENTRY_TOO_LARGE:
                raise PlatformError(code, entry=name, limit=limit) from None
            raise
        data = b"".join(chunks)
        if inner == README:
            has_readme = True
            folder.readme = data
        else:
            folder.images[inner] = data
    if not has_readme:
        raise PlatformError(DocError.README_MISSING)
    return folder


def read_folder(path: str | os.PathLike[str]) -> DocFolder:
    """The same from a folder on disk (a command line's `doc/`): zipped as the code
    packages are (symbolic links kept as links, so they are refused by name)."""
    root = Path(path)
    if not root.is_dir():
        raise PlatformError(DocError.NOT_A_FOLDER, path=str(root)[:200])
    with zip_folder(root, _limits()) as zipped:
        return read_zip(zipped)


def normalised(reference: str) -> str:
    """An image reference of README.md as a name inside `doc/` ('' when it leaves it)."""
    name = posixpath.normpath(reference.replace("\\", "/").lstrip("/"))
    if name.startswith("../") or name in ("..", "."):
        return ""
    return name
