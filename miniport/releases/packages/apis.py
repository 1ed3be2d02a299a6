"""The privacy-sensitive `wx.*` APIs a package's code calls, for the pre-checks of a review.

A mini program that reads a user's location, photos, microphone, contacts, clipboard or
profile must declare how it handles that data (WeChat's privacy protection guidelines); the
pre-checks compare what the code calls with the declaration. The scan is as bounded as the
domain scan beside it: the same code files, chunk by chunk as they inflate, a short tail kept
between chunks so a call cut in two is still found, and at most one entry per API of the
fixed list below, so the result never grows with the package.

It reads text, not a syntax tree: `wx.getLocation(`, `wx .getLocation` (up to 8 spaces around the dot) and a mention in a
comment all count. A pre-check errs on the side of asking for the declaration."""

from __future__ import annotations

import re

from miniport.releases.packages.chunks import ChunkScanner

# The location interfaces: the ones app.json's requiredPrivateInfos may declare.
LOCATION_APIS: tuple[str, ...] = (
    "getLocation",
    "getFuzzyLocation",
    "chooseLocation",
    "choosePoi",
    "startLocationUpdate",
    "startLocationUpdateBackground",
    "onLocationChange",
    "chooseAddress",
)
# WeChat's list of the interfaces its privacy guidelines cover (a representative subset:
# location, media, recording, camera, contacts and profile, clipboard, devices, health).
PRIVACY_APIS: tuple[str, ...] = (
    *LOCATION_APIS,
    "chooseImage",
    "chooseMedia",
    "chooseVideo",
    "chooseMessageFile",
    "saveImageToPhotosAlbum",
    "saveVideoToPhotosAlbum",
    "getUserProfile",
    "getUserInfo",
    "startRecord",
    "getRecorderManager",
    "createCameraContext",
    "createLivePusherContext",
    "joinVoIPChat",
    "chooseInvoice",
    "chooseInvoiceTitle",
    "getWeRunData",
    "shareToWeRun",
    "addPhoneContact",
    "addPhoneCalendar",
    "addPhoneRepeatCalendar",
    "chooseContact",
    "getClipboardData",
    "setClipboardData",
    "openBluetoothAdapter",
    "createBLEPeripheralServer",
    "startWifi",
    "getWifiList",
    "connectWifi",
    "createVKSession",
)

# Longest first, so that `chooseInvoiceTitle` is not read as `chooseInvoice`.
_NAMES = sorted(PRIVACY_APIS, key=len, reverse=True)
# The pattern starts with the literal "wx" (fast in `re`); what stands before it is checked
# by hand, so that `mywx.getLocation` is not a call of `wx`.
_CALL = re.compile(
    rb"wx\s{0,8}\.\s{0,8}(" + b"|".join(n.encode() for n in _NAMES) + rb")(?![A-Za-z0-9_$])"
)
_IDENTIFIER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$")
# Longer than any match (`wx`, spaces, a dot and the longest name), so a call cut by a chunk
# boundary is whole in the next window.
_OVERLAP = 128


class ApiScanner(ChunkScanner):
    """Collects privacy-sensitive API names from one file into a set shared by the package."""

    __slots__ = ()
    overlap = _OVERLAP

    def _scan(self, window: bytes, *, final: bool) -> None:
        if b"wx" not in window:
            return
        for match in _CALL.finditer(window):
            if not final and match.end() >= len(window) - 1:
                continue  # may go on in the next chunk; the next window holds it whole
            start = match.start()
            if start and window[start - 1] in _IDENTIFIER:
                continue
            self.found.add(match.group(1).decode())
