"""Code packages: validation before storage (issue 8, section 1).

`validate_package(source)` answers a `PackageManifest` or refuses with a `PlatformError`
carrying a `ReleaseError` code and the entry at fault; `zip_folder(path)` zips a folder the
way the command line uploads it."""

from .manifest import (
    PackageFile,
    PackageLimits,
    PackageManifest,
    PluginDeclaration,
    SubPackage,
)
from .validation import validate_package, zip_folder

__all__ = [
    "PackageFile",
    "PackageLimits",
    "PackageManifest",
    "PluginDeclaration",
    "SubPackage",
    "validate_package",
    "zip_folder",
]
