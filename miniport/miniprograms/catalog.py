"""The service category catalogs (INF-6), one per kind of subject.

`data/categories.json` holds three catalogs (personal, non_personal, overseas), each
shaped like WeChat's `getallcategories` answer: a root node with id 0 whose children
are the first-level ids, then first-level nodes whose children are second-level ids.
Second-level nodes carry `sensitive_type` (1: qualification material and an operator
review are needed) and `qualify` (which material).

Names are Chinese, as WeChat's answer has them and as rows store them;
`data/categories_en.json` carries each category's and qualification's English name,
which the pages show in English (`name_in`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import translation

PERSONAL = "personal"
NON_PERSONAL = "non_personal"
OVERSEAS = "overseas"
KINDS = (PERSONAL, NON_PERSONAL, OVERSEAS)
HOME_COUNTRY = "CN"

_DATA_FILE = Path(__file__).resolve().parent / "data" / "categories.json"
_ENGLISH_FILE = Path(__file__).resolve().parent / "data" / "categories_en.json"


@cache
def _english() -> dict[str, str]:
    data = json.loads(_ENGLISH_FILE.read_text(encoding="utf-8"))
    return {**data["qualifications"], **data["categories"]}


def name_in(name: str, language: str | None = None) -> str:
    """A category's or qualification's name (Chinese, as the catalog and the stored rows
    hold it) in `language`, by default the active one."""
    language = language or translation.get_language() or ""
    if language.startswith("en"):
        return _english().get(name, name)
    return name


def label_in(first: str, second: str, language: str | None = None) -> str:
    """ "First > second" in `language`, by default the active one."""
    return f"{name_in(first, language)} > {name_in(second, language)}"


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    level: int
    father: int
    children: tuple[int, ...]
    sensitive: bool
    qualifications: tuple[str, ...]
    remark: str
    raw: dict[str, Any]

    @property
    def display_name(self) -> str:
        """The name in the page's language."""
        return name_in(self.name)


@dataclass(frozen=True)
class Pair:
    """A first-level and second-level category chosen together."""

    first: Category
    second: Category

    @property
    def sensitive(self) -> bool:
        return self.second.sensitive

    @property
    def label(self) -> str:
        """The pair as stored and sent (Chinese, as WeChat names it)."""
        return f"{self.first.name} > {self.second.name}"

    @property
    def display_label(self) -> str:
        """The pair in the page's language."""
        return label_in(self.first.name, self.second.name)

    @property
    def display_qualifications(self) -> list[str]:
        return [name_in(name) for name in self.second.qualifications]


class Catalog:
    def __init__(self, kind: str, nodes: list[dict[str, Any]]) -> None:
        self.kind = kind
        self.nodes = nodes
        self.by_id: dict[int, Category] = {}
        for node in nodes:
            qualify = node.get("qualify") or {}
            names = tuple(
                item["name"]
                for group in qualify.get("exter_list", [])
                for item in group.get("inner_list", [])
            )
            self.by_id[node["id"]] = Category(
                id=node["id"],
                name=node["name"],
                level=node["level"],
                father=node["father"],
                children=tuple(node["children"]),
                sensitive=bool(node["sensitive_type"]),
                qualifications=names,
                remark=qualify.get("remark", ""),
                raw=node,
            )

    def pair(self, first_id: int, second_id: int) -> Pair | None:
        first = self.by_id.get(first_id)
        second = self.by_id.get(second_id)
        if first is None or second is None or first.level != 1 or second.level != 2:
            return None
        if second.father != first.id:
            return None
        return Pair(first, second)

    def first_levels(self) -> list[Category]:
        return [self.by_id[i] for i in self.by_id[0].children]

    def children_of(self, first_id: int) -> list[Category]:
        first = self.by_id.get(first_id)
        return [self.by_id[i] for i in first.children] if first else []

    def pairs(self) -> list[Pair]:
        return [
            Pair(first, second)
            for first in self.first_levels()
            for second in self.children_of(first.id)
        ]


@cache
def _load() -> dict[str, Catalog]:
    data = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    return {kind: Catalog(kind, data[kind]["categories"]) for kind in KINDS}


def catalog(kind: str) -> Catalog:
    return _load()[kind]


def kind_for_subject(subject) -> str:
    """Personal subjects use the personal catalog; organizations registered outside the
    mainland the overseas one; every other organization the non-personal one."""
    if subject.subject_type == "personal":
        return PERSONAL
    if (subject.country or HOME_COUNTRY).upper() != HOME_COUNTRY:
        return OVERSEAS
    return NON_PERSONAL


def catalog_for(subject) -> Catalog:
    return catalog(kind_for_subject(subject))


def in_any_catalog(first_id: int, second_id: int) -> bool:
    return any(catalog(kind).pair(first_id, second_id) is not None for kind in KINDS)
