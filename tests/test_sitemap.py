"""Sitemap index, sitemaps split at the protocol's limits, and robots.txt."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.etree as etree
import pytest
from conftest import PortalRepo, make_release, make_settings
from test_feeds import make_portal

from generator import sitemap
from generator.diagnostics import UsageError
from generator.model import Correction, Portal, Release, Withdrawal

BASE = "https://portal.test/"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")


def releases() -> list[Release]:
    return [
        make_release(
            slug="banjir",
            date=datetime(2024, 5, 18, 16, 30, tzinfo=WIB),
            updates=(Correction(datetime(2024, 5, 19, 9, 15, tzinfo=WIB), "Ralat."),),
        ),
        make_release(
            region_id="kota-jayapura",
            tz="Asia/Jayapura",
            slug="pasar",
            date=datetime(2024, 5, 2, 10, 0, tzinfo=WIT),
        ),
        make_release(
            slug="ditarik",
            date=datetime(2024, 4, 1, 8, 0, tzinfo=WIB),
            withdrawn=Withdrawal(datetime(2024, 4, 3, 8, 0, tzinfo=WIB), "Keliru."),
        ),
    ]


@pytest.fixture
def portal(portal_repo: PortalRepo) -> Portal:
    return make_portal(portal_repo.root, releases())


def pages(portal: Portal) -> list[str]:
    return ["", "wilayah/", "kota-bandung/", "kota-jayapura/", *(r.url for r in portal.releases)]


def locs(data: bytes, element: str) -> list[tuple[str, str | None]]:
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS['sm']}}}{element}"
    child = "url" if element == "urlset" else "sitemap"
    return [
        (e.findtext("sm:loc", namespaces=NS) or "", e.findtext("sm:lastmod", namespaces=NS))
        for e in root.findall(f"sm:{child}", NS)
    ]


def test_index_sitemap_and_lastmod(portal_repo: PortalRepo, portal: Portal) -> None:
    files = sitemap.build_sitemaps(portal, make_settings(portal_repo.root), pages(portal))
    assert set(files) == {"sitemap.xml", "sitemaps/sitemap-1.xml", "robots.txt"}
    index = locs(files["sitemap.xml"], "sitemapindex")
    assert index == [(BASE + "sitemaps/sitemap-1.xml", "2024-05-19T09:15:00+07:00")]
    entries = dict(locs(files["sitemaps/sitemap-1.xml"], "urlset"))
    assert entries == {
        BASE: None,
        BASE + "wilayah/": None,
        BASE + "kota-bandung/": None,
        BASE + "kota-jayapura/": None,
        # lastmod = release.updated (correction, withdrawal) in the region's own offset
        BASE + "kota-bandung/2024/2024-05-18-banjir/": "2024-05-19T09:15:00+07:00",
        BASE + "kota-jayapura/2024/2024-05-02-pasar/": "2024-05-02T10:00:00+09:00",
        BASE + "kota-bandung/2024/2024-04-01-ditarik/": "2024-04-03T08:00:00+07:00",
    }


def test_split_at_fifty_thousand_urls(portal_repo: PortalRepo, portal: Portal) -> None:
    fake = [f"arsip/halaman/{n}/" for n in range(100_001)]
    files = sitemap.build_sitemaps(portal, make_settings(portal_repo.root), fake)
    parts = sorted(p for p in files if p.startswith("sitemaps/"))
    assert parts == ["sitemaps/sitemap-1.xml", "sitemaps/sitemap-2.xml", "sitemaps/sitemap-3.xml"]
    counts = [len(locs(files[p], "urlset")) for p in parts]
    assert counts == [50_000, 50_000, 1]
    assert [loc for loc, _ in locs(files["sitemap.xml"], "sitemapindex")] == [
        BASE + p for p in parts
    ]
    every = [loc for p in parts for loc, _ in locs(files[p], "urlset")]
    assert len(every) == len(set(every)) == 100_001
    assert all(len(files[p]) <= sitemap.MAX_SITEMAP_BYTES for p in parts)
    # exactly the limit still fits in one file
    exact = sitemap.build_sitemaps(portal, make_settings(portal_repo.root), fake[:50_000])
    assert sorted(p for p in exact if p.startswith("sitemaps/")) == ["sitemaps/sitemap-1.xml"]


def test_split_by_size(portal_repo: PortalRepo, portal: Portal) -> None:
    urls = [f"topik/{'x' * 200}-{n}/" for n in range(30)]
    files = sitemap.build_sitemaps(portal, make_settings(portal_repo.root), urls, max_bytes=2_000)
    parts = [p for p in files if p.startswith("sitemaps/")]
    assert len(parts) > 3
    assert all(len(files[p]) <= 2_000 for p in parts)
    assert sum(len(locs(files[p], "urlset")) for p in parts) == 30


def test_deterministic_whatever_the_page_order(portal_repo: PortalRepo, portal: Portal) -> None:
    settings = make_settings(portal_repo.root)
    forward = sitemap.build_sitemaps(portal, settings, pages(portal))
    backward = sitemap.build_sitemaps(portal, settings, [*reversed(pages(portal)), "wilayah/"])
    assert forward == backward
    assert list(forward) == sorted(forward)


def test_robots_txt(portal_repo: PortalRepo, portal: Portal) -> None:
    files = sitemap.build_sitemaps(portal, make_settings(portal_repo.root), pages(portal))
    robots = files["robots.txt"].decode()
    assert robots.splitlines() == [
        "User-agent: *",
        "Disallow: /cari/",
        "",
        "Sitemap: https://portal.test/sitemap.xml",
    ]


def test_site_below_a_path(portal_repo: PortalRepo, portal: Portal) -> None:
    settings = make_settings(portal_repo.root, site_url="https://contoh.go.id/portal")
    files = sitemap.build_sitemaps(portal, settings, ["", "wilayah/"])
    assert "Sitemap: https://contoh.go.id/portal/sitemap.xml" in files["robots.txt"].decode()
    assert "Disallow: /portal/cari/" in files["robots.txt"].decode()
    assert [loc for loc, _ in locs(files["sitemaps/sitemap-1.xml"], "urlset")] == [
        "https://contoh.go.id/portal/",
        "https://contoh.go.id/portal/wilayah/",
    ]


def test_urls_are_xml_escaped(portal_repo: PortalRepo, portal: Portal) -> None:
    files = sitemap.build_sitemaps(portal, make_settings(portal_repo.root), ["cari/?q=a&b=c"])
    assert b"cari/?q=a&amp;b=c" in files["sitemaps/sitemap-1.xml"]
    assert locs(files["sitemaps/sitemap-1.xml"], "urlset") == [(BASE + "cari/?q=a&b=c", None)]


def test_requires_an_absolute_site_url(tmp_path: Path, portal: Portal) -> None:
    with pytest.raises(UsageError, match="site_url"):
        sitemap.build_sitemaps(portal, make_settings(tmp_path, site_url=""), [""])
