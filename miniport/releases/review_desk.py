"""What a desk shows of a code review beyond its description (issue 8 section 3; VER-3..VER-5,
B-4), added to the review kind "code" with `registry.extend` from `ReleasesConfig.ready()`.

`detail(review, params)` answers plain data, no HTML (each surface renders it with its own
template for the kind):
- `submission`: the submission's item groups, description, feedback, the developer's
  preview screenshots and test account, state and reasons (catalog keys as titles);
- `prechecks`: the findings as recorded at submission (not re-run: the reviewer sees what
  the developer saw), each with its message in the reader's language;
- `diff`: the diff against the version online when it was submitted;
- `tree`: the package's files as rows (depth, folder or file, size), folders first;
- `file`: the file named by `params["file"]`, when the package lists it: its text (UTF-8,
  at most `params["view_bytes"]` bytes, `truncated` when there was more) or, for a file
  that is not text, only its name and size (`binary`). An unlisted name shows nothing.
- `reviewer_screenshots`: the screenshots the last rejection or delay carried.

`reason_choices(lang)` is the rejection catalog (VER-5) as (key, title) pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

from miniport.releases import catalog, selectors
from miniport.releases.models import Submission
from miniport.releases.services.submission import CODE_KIND
from miniport.review import registry
from miniport.review.models import Review

# Without a cap from the desk, a file view reads at most this many bytes.
DEFAULT_VIEW_BYTES = 64 * 1024
# Bytes that never occur in text a person reads in a viewer.
_BINARY_MARKERS = (b"\x00",)


def _submission(review: Review) -> Submission | None:
    if not review.target_id.isdigit():
        return None
    return (
        Submission.objects.select_related("miniprogram", "dev_version__package")
        .filter(pk=int(review.target_id))
        .first()
    )


def _tree_rows(node: selectors.FileNode, depth: int = 0) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for child in node.children:
        rows.append(
            {
                "name": child.name,
                "path": child.path,
                "size": child.size,
                "is_dir": child.is_dir,
                "depth": depth,
            }
        )
        if child.is_dir:
            rows.extend(_tree_rows(child, depth + 1))
    return rows


def _listed_size(submission: Submission, path: str) -> int | None:
    for item in (submission.dev_version.package.manifest or {}).get("files") or []:
        if str(item.get("path")) == path:
            return int(item.get("size") or 0)
    return None


def _view_bytes(params: Mapping[str, str]) -> int:
    try:
        limit = int(params.get("view_bytes") or DEFAULT_VIEW_BYTES)
    except (TypeError, ValueError):
        limit = DEFAULT_VIEW_BYTES
    return max(1, limit)


def file_view(submission: Submission, path: str, *, limit: int) -> dict[str, Any] | None:
    """One listed file of the submitted package for the viewer, or None."""
    size = _listed_size(submission, path)
    if size is None:
        return None
    data = selectors.read_package_file(submission.dev_version, path, limit=limit + 1)
    if data is None:
        return None
    view: dict[str, Any] = {"path": path, "size": size, "binary": False, "text": ""}
    head = data[:limit]
    if any(marker in head for marker in _BINARY_MARKERS):
        view["binary"] = True
        return view
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # Cut in the middle of a character at the cap: keep what decodes.
        if error.start >= len(head) - 3 and len(data) > limit:
            text = head[: error.start].decode("utf-8", errors="strict")
        else:
            view["binary"] = True
            return view
    view["text"] = text
    view["truncated"] = len(data) > limit
    view["shown_bytes"] = len(text.encode("utf-8"))
    return view


def _findings(raw: list[Any], lang: str) -> list[dict[str, Any]]:
    rows = []
    for finding in raw or []:
        if not isinstance(finding, Mapping):
            continue
        message = finding.get("message_en") if lang.startswith("en") else finding.get("message_zh")
        rows.append(
            {
                "code": str(finding.get("code") or ""),
                "level": str(finding.get("level") or ""),
                "message": str(message or finding.get("message_zh") or ""),
            }
        )
    return rows


def detail(review: Review, params: Mapping[str, str]) -> Mapping[str, Any]:
    submission = _submission(review)
    if submission is None:
        return {}
    lang = translation.get_language() or "zh-hans"
    wanted = str(params.get("file") or "")
    shown = file_view(submission, wanted, limit=_view_bytes(params)) if wanted else None
    return {
        "submission": {
            "pk": submission.pk,
            "appid": submission.miniprogram.appid,
            "version": submission.dev_version.user_version,
            "version_note": submission.dev_version.user_desc,
            "developer": submission.dev_version.developer_label,
            "sha256": submission.dev_version.package.sha256,
            "size": submission.dev_version.package.size,
            "items": [dict(group) for group in submission.items or []],
            "description": submission.description,
            "feedback": submission.feedback,
            "screenshots": [str(shot) for shot in submission.screenshots or []],
            "test_account": dict(submission.test_account) if submission.test_account else None,
            "state": submission.state,
            "reasons": [catalog.reason_text(r, lang) for r in submission.reasons or []],
            "submitted_by": submission.submitted_by,
            "submitted_at": submission.submitted_at,
            "auditid": submission.auditid,
        },
        "prechecks": _findings(submission.prechecks, lang),
        "diff": submission.diff or {},
        "tree": _tree_rows(selectors.file_tree(submission.dev_version)),
        "file": shown,
        "file_asked": wanted,
        "reviewer_screenshots": list((review.material or {}).get("decision_screenshots") or []),
    }


def reason_choices(lang: str | None = None) -> list[tuple[str, str]]:
    """The rejection catalog, in its published order, titled in `lang`."""
    return [(item.key, item.title(lang)) for item in catalog.rejection_reasons()]


def register_desk() -> None:
    registry.extend(CODE_KIND, detail=detail, reason_choices=reason_choices)
