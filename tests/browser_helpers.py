"""Helpers for the search tests: two real sites and Chromium from Debian (never downloaded).

* The *contract site* is a plain Material build (no portal plugin) of hand-written pages that
  follow ARCHITECTURE.md's search contract, with the portal's theme folder: it checks the search
  pieces of the theme on their own. Its header is Material's with the lunr block replaced by
  ``partials/search.html`` (``header_with_search_box``), as the portal's header does, because
  Material only includes that partial when its own lunr search plugin is on.
* The *portal site* is a ``conftest.PortalRepo`` with ``PORTAL_RELEASES`` built by the portal
  plugin with ``search: true``: what the browser tests drive.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import material

from generator.search import CHROMIUM_ARGS, CHROMIUM_PATH

REPO = Path(__file__).resolve().parent.parent
THEME_DIR = REPO / "generator" / "theme"
MATERIAL_TEMPLATES = Path(material.__file__).resolve().parent / "templates"

#: Why browser tests skip (only when Debian's Chromium is truly absent).
CHROMIUM_MISSING = (
    f"{CHROMIUM_PATH} not found: install Debian's chromium (`make browser`) to run the search "
    "browser tests"
)


def chromium_available() -> bool:
    return Path(CHROMIUM_PATH).is_file()


def header_with_search_box() -> str:
    """Material's header with its lunr search block replaced by ``partials/search.html``."""
    header = (MATERIAL_TEMPLATES / "partials" / "header.html").read_text(encoding="utf-8")
    start = header.index('{% if "material/search" in config.plugins %}')
    end = header.index("{% if config.repo_url %}")
    return header[:start] + '{% include "partials/search.html" %}\n    ' + header[end:]


@dataclass(frozen=True)
class ContractRelease:
    """One release page in the contract site."""

    url: str  # site-relative directory URL, e.g. "kota-bandung/2024/2024-05-18-jalan-desa/"
    title: str
    wilayah: str
    provinsi: str
    kategori: str
    jenis: str
    iso_date: str
    local_date: str
    body: str
    withdrawn: bool = False

    @property
    def tahun(self) -> str:
        return self.iso_date[:4]

    def markdown(self) -> str:
        body_attribute = "" if self.withdrawn else " data-pagefind-body"
        return textwrap.dedent(
            f"""\
            ---
            title: "{self.title}"
            ---

            <article class="rilis"{body_attribute}>
            <h1>{self.title}</h1>
            <p class="rilis__meta">{self.wilayah} ·
            <time datetime="{self.iso_date}">{self.local_date}</time></p>
            <div hidden data-pagefind-ignore>
            <span data-pagefind-filter="wilayah">{self.wilayah}</span>
            <span data-pagefind-filter="provinsi">{self.provinsi}</span>
            <span data-pagefind-filter="kategori">{self.kategori}</span>
            <span data-pagefind-filter="jenis">{self.jenis}</span>
            <span data-pagefind-filter="tahun">{self.tahun}</span>
            <span data-pagefind-sort="tanggal">{self.iso_date}</span>
            <span data-pagefind-meta="wilayah">{self.wilayah}</span>
            <span data-pagefind-meta="tanggal">{self.local_date}</span>
            </div>
            <p>{self.body}</p>
            </article>
            """
        )


#: Three releases about building (none contains the word "membangun"), one about health, and a
#: withdrawn one that must never be found.
CONTRACT_RELEASES = (
    ContractRelease(
        url="kota-bandung/2024/2024-05-18-jalan-desa/",
        title="Percepatan Pembangunan Jalan Lingkungan",
        wilayah="Kota Bandung",
        provinsi="Jawa Barat",
        kategori="Infrastruktur",
        jenis="Siaran Pers",
        iso_date="2024-05-18T16:30:00+07:00",
        local_date="Sabtu, 18 Mei 2024 16.30 WIB",
        body="Pemerintah Kota Bandung mempercepat pembangunan jalan lingkungan di tiga kecamatan.",
    ),
    ContractRelease(
        url="kabupaten-bandung/2023/2023-08-01-pasar-rakyat/",
        title="Pembangunan Pasar Rakyat Soreang Dimulai",
        wilayah="Kabupaten Bandung",
        provinsi="Jawa Barat",
        kategori="Ekonomi",
        jenis="Siaran Pers",
        iso_date="2023-08-01T09:00:00+07:00",
        local_date="Selasa, 1 Agustus 2023 09.00 WIB",
        body="Pembangunan pasar rakyat ditargetkan selesai akhir tahun bersama pedagang setempat.",
    ),
    ContractRelease(
        url="kota-pontianak/2024/2024-02-10-jembatan-kapuas/",
        title="Pembangunan Jembatan Kapuas Tahap Dua",
        wilayah="Kota Pontianak",
        provinsi="Kalimantan Barat",
        kategori="Infrastruktur",
        jenis="Pengumuman",
        iso_date="2024-02-10T10:00:00+07:00",
        local_date="Sabtu, 10 Februari 2024 10.00 WIB",
        body="Pembangunan jembatan di atas Sungai Kapuas memasuki tahap kedua.",
    ),
    ContractRelease(
        url="kota-makassar/2022/2022-03-03-vaksinasi-anak/",
        title="Vaksinasi Anak Sekolah Dasar",
        wilayah="Kota Makassar",
        provinsi="Sulawesi Selatan",
        kategori="Kesehatan",
        jenis="Siaran Pers",
        iso_date="2022-03-03T08:00:00+08:00",
        local_date="Kamis, 3 Maret 2022 08.00 WITA",
        body="Dinas kesehatan memvaksinasi murid sekolah dasar dan memeriksa kesehatan mereka.",
    ),
    ContractRelease(
        url="kota-makassar/2022/2022-04-04-rilis-ditarik/",
        title="Rilis Ditarik Tentang Pembangunan Waduk",
        wilayah="Kota Makassar",
        provinsi="Sulawesi Selatan",
        kategori="Infrastruktur",
        jenis="Siaran Pers",
        iso_date="2022-04-04T08:00:00+08:00",
        local_date="Senin, 4 April 2022 08.00 WITA",
        body="Rilis ini ditarik; pembangunan waduk ditunda. Kata kunci unik: zamrudkhatulistiwa.",
        withdrawn=True,
    ),
)

#: A listing page: text that would match, but no data-pagefind-body, so never indexed.
LISTING_MARKDOWN = """\
---
title: Arsip
---

# Arsip

Daftar rilis tentang pembangunan. Kata kunci unik: kamusdaftarlisting.
"""


def write_contract_project(root: Path) -> Path:
    """Write a Material MkDocs project following the search contract; return its mkdocs.yml."""
    overlay = root / "theme"
    shutil.copytree(THEME_DIR, overlay)
    (overlay / "partials").mkdir(exist_ok=True)
    (overlay / "partials" / "header.html").write_text(header_with_search_box(), encoding="utf-8")

    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Portal Uji\n\nBeranda.\n", encoding="utf-8")
    (docs / "arsip.md").write_text(LISTING_MARKDOWN, encoding="utf-8")
    # What the pages helper generates as cari/index.md.
    (docs / "cari").mkdir()
    (docs / "cari" / "index.md").write_text(
        "---\ntitle: Cari\ntemplate: cari.html\n---\n", encoding="utf-8"
    )
    for release in CONTRACT_RELEASES:
        page = docs / release.url.rstrip("/")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.with_suffix(".md").write_text(release.markdown(), encoding="utf-8")

    config = root / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(
            """\
            site_name: Portal Uji
            site_url: http://127.0.0.1/
            docs_dir: docs
            site_dir: site
            theme:
              name: material
              custom_dir: theme
              language: id
              font: false
            plugins: []
            """
        ),
        encoding="utf-8",
    )
    return config


def mkdocs_build(config: Path) -> Path:
    """Run a real ``mkdocs build`` and return the site folder."""
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return config.parent / "site"


def launch_args() -> list[str]:
    return list(CHROMIUM_ARGS)


# --- The real portal: a PortalRepo built by `mkdocs build` with the portal plugin -----------


@dataclass(frozen=True)
class PortalRelease:
    """A release written into a PortalRepo for the search tests, and where it must appear."""

    region_id: str
    date: str  # "YYYY-MM-DD HH:MM", local time of the region
    slug: str
    title: str
    summary: str
    body: str
    category: str
    extra: tuple[tuple[str, str], ...] = ()

    @property
    def url(self) -> str:
        return f"/{self.region_id}/{self.date[:4]}/{self.date[:10]}-{self.slug}/"


#: Three releases about building (no text contains "membangun"), one about health, and three
#: that must never be found: withdrawn, draft and embargoed (each with a unique word).
PORTAL_RELEASES = (
    PortalRelease(
        "kota-bandung",
        "2024-05-18 16:30",
        "jalan-lingkungan",
        "Percepatan Pembangunan Jalan Lingkungan",
        "Pembangunan jalan lingkungan dipercepat di tiga kecamatan Kota Bandung.",
        "Pemerintah Kota Bandung mempercepat pembangunan jalan lingkungan bersama warga.",
        "infrastruktur",
    ),
    PortalRelease(
        "kabupaten-bandung",
        "2023-08-01 09:00",
        "pasar-rakyat",
        "Pembangunan Pasar Rakyat Soreang Dimulai",
        "Pembangunan pasar rakyat Soreang dimulai dan ditargetkan selesai akhir tahun.",
        "Pembangunan pasar rakyat melibatkan pedagang setempat sejak perencanaan.",
        "ekonomi",
    ),
    PortalRelease(
        "kota-pontianak",
        "2024-02-10 10:00",
        "jembatan-kapuas",
        "Pembangunan Jembatan Kapuas Tahap Dua",
        "Pembangunan jembatan di atas Sungai Kapuas memasuki tahap kedua.",
        "Pekerjaan tahap dua meliputi pemasangan rangka baja jembatan.",
        "infrastruktur",
        (("type", "pengumuman"),),
    ),
    PortalRelease(
        "kota-makassar",
        "2022-03-03 08:00",
        "vaksinasi-anak",
        "Vaksinasi Anak Sekolah Dasar",
        "Dinas kesehatan memvaksinasi murid sekolah dasar di Makassar.",
        "Petugas juga memeriksa kesehatan murid sebelum vaksinasi.",
        "kesehatan",
    ),
    PortalRelease(
        "kota-makassar",
        "2022-04-04 08:00",
        "waduk-ditarik",
        "Penundaan Pengerjaan Waduk",
        "Rilis yang kemudian ditarik tentang pengerjaan waduk di pinggir kota.",
        "Kata kunci unik rilis ditarik: zamrudkhatulistiwa.",
        "infrastruktur",
        (("withdrawn", '{date: "2022-04-05 10:00", reason: "Informasi sudah tidak berlaku."}'),),
    ),
    PortalRelease(
        "kota-makassar",
        "2022-05-05 08:00",
        "rancangan",
        "Rancangan Rilis Pasar Malam",
        "Rancangan rilis tentang pasar malam yang belum diterbitkan humas.",
        "Kata kunci unik rancangan: safirnusantara.",
        "ekonomi",
        (("draft", "true"),),
    ),
    PortalRelease(
        "kota-makassar",
        "2026-10-20 08:00",
        "embargo",
        "Rilis Berembargo Festival Pantai",
        "Rilis tentang festival pantai yang masih diembargo sampai tahun depan.",
        "Kata kunci unik embargo: intankalimantan.",
        "pariwisata",
        (("publish_at", '"2027-01-05 09:00"'),),
    ),
)

#: Words that only occur in releases that must never be found.
HIDDEN_WORDS = ("zamrudkhatulistiwa", "safirnusantara", "intankalimantan")


def write_portal_releases(repo: Any) -> None:
    """Write PORTAL_RELEASES into a ``conftest.PortalRepo`` and switch its search on."""
    for release in PORTAL_RELEASES:
        repo.write_release(
            release.region_id,
            release.date,
            release.slug,
            body=release.body + "\n",
            title=f'"{release.title}"',
            summary=f'"{release.summary}"',
            category=release.category,
            **dict(release.extra),
        )
    repo.write_config(extra_plugin_options="search: true")
