"""SMS delivery behind an interface. No carrier exists here, so the default backend
writes each message it would send as a JSON file under var/sms/; an operator (or a
test) reads the code from there."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from miniport.core import clock


class SmsBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class FileSmsBackend(SmsBackend):
    def send(self, phone: str, text: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = clock.now().strftime("%Y%m%dT%H%M%S%f")
        path = folder / f"{stamp}-{phone}.json"
        path.write_text(
            json.dumps(
                {"to": phone, "text": text, "at": clock.now().isoformat()}, ensure_ascii=False
            )
        )


def send(phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text)


def messages_to(phone: str) -> list[dict]:
    """What the file backend wrote to a phone, oldest first (operator path and tests)."""
    folder = Path(settings.SMS_FILE_PATH)
    if not folder.exists():
        return []
    found = [json.loads(p.read_text()) for p in sorted(folder.glob(f"*-{phone}.json"))]
    return found
