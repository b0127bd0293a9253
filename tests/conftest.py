"""Small factories shared by the suite: model objects, and on-disk portal repositories."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from generator.config import Settings
from generator.model import Category, Region, RegionKind, Release, ReleaseType

REPO = Path(__file__).resolve().parent.parent

#: A small registry that still covers all three zones, every kind and a province roll-up.
FIXTURE_REGIONS = (
    "pusat",
    "kemendagri",
    "jawa-barat",
    "kota-bandung",
    "kabupaten-bandung",
    "kalimantan-barat",
    "kota-pontianak",
    "sulawesi-selatan",
    "kota-makassar",
    "papua",
    "kota-jayapura",
)


def make_region(**overrides: Any) -> Region:
    fields: dict[str, Any] = {
        "id": "kota-bandung",
        "code": "32.73",
        "name": "Kota Bandung",
        "kind": RegionKind.KOTA,
        "parent": "jawa-barat",
        "timezone": "Asia/Jakarta",
    }
    fields.update(overrides)
    return Region(**fields)


def make_release(**overrides: Any) -> Release:
    region_id = overrides.get("region_id", "kota-bandung")
    tz = ZoneInfo(overrides.pop("tz", "Asia/Jakarta"))
    date = overrides.pop("date", datetime(2024, 5, 18, 16, 30, tzinfo=tz))
    slug = overrides.get("slug", "rapat-koordinasi")
    fields: dict[str, Any] = {
        "id": f"{region_id}/{date:%Y-%m-%d}-{slug}",
        "region_id": region_id,
        "slug": slug,
        "source_path": f"content/{region_id}/{date:%Y}/{date:%Y-%m-%d}-{slug}.md",
        "title": "Rapat Koordinasi Kehumasan",
        "date": date,
        "summary": "Pemerintah menggelar rapat koordinasi kehumasan untuk menyatukan informasi.",
        "category": "pemerintahan",
        "type": ReleaseType.SIARAN_PERS,
        "body_markdown": "Isi rilis.\n",
    }
    fields.update(overrides)
    return Release(**fields)


def make_category(**overrides: Any) -> Category:
    fields: dict[str, Any] = {"id": "pemerintahan", "label": "Pemerintahan"}
    fields.update(overrides)
    return Category(**fields)


def make_settings(root: Path, **overrides: Any) -> Settings:
    fields: dict[str, Any] = {
        "root": root,
        "site_name": "Portal Uji",
        "site_url": "https://portal.test/",
        "build_time": datetime(2026, 11, 1, tzinfo=UTC),
        "search": False,
    }
    fields.update(overrides)
    return Settings(**fields)


def front_matter(**fields: Any) -> str:
    """Front matter text from keyword arguments (values written verbatim as YAML)."""
    lines = []
    for key, value in fields.items():
        lines.append(
            f"{key}: {value}"
            if not isinstance(value, str) or "\n" not in value
            else f"{key}:\n{textwrap.indent(value, '  ')}"
        )
    return "\n".join(lines)


class PortalRepo:
    """A throw-away portal repository in ``tmp_path`` built from the real project's parts."""

    def __init__(self, root: Path, regions: Iterable[str] = FIXTURE_REGIONS) -> None:
        self.root = root
        (root / "regions").mkdir(parents=True)
        for region_id in regions:
            shutil.copy(REPO / "regions" / f"{region_id}.yml", root / "regions")
        (root / "content").mkdir()
        shutil.copy(REPO / "content" / "categories.yml", root / "content")
        (root / "docs").mkdir()
        (root / "docs" / "tentang.md").write_text("# Tentang\n\nPortal uji.\n", encoding="utf-8")
        self.write_config()

    def write_config(self, extra_plugin_options: str = "", extra: str = "") -> None:
        """Write ``mkdocs.yml``. ``extra_plugin_options`` lines (``key: value``) override the
        defaults of the ``portal`` plugin block; ``extra`` is appended at top level."""
        options = {
            "build_time": '"2026-11-01T00:00:00+00:00"',
            "search": "true",
        }
        for line in extra_plugin_options.splitlines():
            if line.strip():
                key, _, value = line.partition(":")
                options[key.strip()] = value.strip()
        plugin_block = "\n".join(f"      {key}: {value}" for key, value in options.items())
        config = f"""\
site_name: Portal Uji
site_url: https://portal.test/
docs_dir: docs
theme:
  name: material
  language: id
  font: false
  features:
    - navigation.tabs
plugins:
  - portal:
{plugin_block}
{extra}
"""
        (self.root / "mkdocs.yml").write_text(config, encoding="utf-8")

    def write_release(
        self,
        region_id: str = "kota-bandung",
        date: str = "2024-05-18 16:30",
        slug: str = "rapat-koordinasi",
        *,
        body: str = "Isi rilis dengan **penekanan**.\n",
        raw_front_matter: str | None = None,
        **fields: Any,
    ) -> Path:
        """Write ``content/<region>/<YYYY>/<date>-<slug>.md`` and return its path."""
        day = date[:10]
        path = self.root / "content" / region_id / day[:4] / f"{day}-{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        if raw_front_matter is None:
            values: dict[str, Any] = {
                "title": '"Rapat Koordinasi Kehumasan"',
                "date": f'"{date}"',
                "summary": (
                    '"Pemerintah menggelar rapat koordinasi kehumasan untuk menyatukan '
                    'informasi publik."'
                ),
                "category": "pemerintahan",
            }
            values.update(fields)
            raw_front_matter = front_matter(**{k: v for k, v in values.items() if v is not None})
        path.write_text(f"---\n{raw_front_matter}\n---\n\n{body}", encoding="utf-8")
        return path

    def settings(self, **overrides: Any) -> Settings:
        return make_settings(self.root, **overrides)


@pytest.fixture
def portal_repo(tmp_path: Path) -> PortalRepo:
    return PortalRepo(tmp_path / "repo")


@pytest.fixture
def repo_factory(tmp_path: Path) -> Callable[..., PortalRepo]:
    counter = iter(range(1000))

    def create(regions: Iterable[str] = FIXTURE_REGIONS) -> PortalRepo:
        return PortalRepo(tmp_path / f"repo{next(counter)}", regions)

    return create
