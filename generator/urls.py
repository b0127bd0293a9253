"""Every public URL of the portal, in one place, so pages, feeds, sitemaps and search agree.

URLs are site-relative directory URLs without a leading slash (``kota-bandung/``); files
are paths (``feeds/kota-bandung.xml``). They are part of the public contract: aggregators
subscribe to feed URLs and the public bookmarks pages, so they never change.
"""

from __future__ import annotations

from dataclasses import dataclass

FEED_FORMATS = ("xml", "atom", "json")


def home() -> str:
    return ""


def regions_index() -> str:
    return "wilayah/"


def region(region_id: str, page: int = 1) -> str:
    return paginated(f"{region_id}/", page)


def category(category_id: str, page: int = 1) -> str:
    return paginated(f"kategori/{category_id}/", page)


def categories_index() -> str:
    return "kategori/"


def release_type(type_id: str, page: int = 1) -> str:
    return paginated(f"jenis/{type_id}/", page)


def tag(tag_id: str, page: int = 1) -> str:
    return paginated(f"topik/{tag_id}/", page)


def archive_index() -> str:
    return "arsip/"


def archive_month(month: str, page: int = 1) -> str:
    """``month`` is ``YYYY/MM``."""
    return paginated(f"arsip/{month}/", page)


def offices() -> str:
    return "kantor/"


def feeds_page() -> str:
    return "rss/"


def search_page() -> str:
    return "cari/"


def paginated(base: str, page: int) -> str:
    """Page 1 is the base URL; later pages are ``<base>halaman/<n>/``."""
    return base if page <= 1 else f"{base}halaman/{page}/"


@dataclass(frozen=True)
class FeedSet:
    """The three files of one feed: RSS 2.0, Atom 1.0 and JSON Feed 1.1."""

    key: str  # e.g. "kota-bandung", "gabungan/jawa-barat", "kategori/kesehatan"
    title: str

    @property
    def rss(self) -> str:
        return f"feeds/{self.key}.xml"

    @property
    def atom(self) -> str:
        return f"feeds/{self.key}.atom"

    @property
    def json(self) -> str:
        return f"feeds/{self.key}.json"


def national_feed() -> FeedSet:
    return FeedSet("nasional", "Semua rilis nasional")


def region_feed(region_id: str, region_name: str) -> FeedSet:
    return FeedSet(region_id, f"Rilis {region_name}")


def rollup_feed(province_id: str, province_name: str) -> FeedSet:
    return FeedSet(f"gabungan/{province_id}", f"Rilis {province_name} dan kabupaten/kotanya")


def category_feed(category_id: str, label: str) -> FeedSet:
    return FeedSet(f"kategori/{category_id}", f"Rilis kategori {label}")


def type_feed(type_id: str, label: str) -> FeedSet:
    return FeedSet(f"jenis/{type_id}", label)


def opml() -> str:
    return "feeds/semua.opml"
