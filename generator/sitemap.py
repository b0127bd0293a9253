"""Sitemaps (https://www.sitemaps.org/protocol.html) and ``robots.txt``.

``sitemap.xml`` is always a *sitemap index* that points at ``sitemaps/sitemap-<n>.xml``
files, each holding at most :data:`MAX_URLS_PER_SITEMAP` URLs and at most
:data:`MAX_SITEMAP_BYTES` bytes (the protocol's limits), so that the URL aggregators and
search engines are given never changes as the archive grows past 50,000 pages.

Release pages carry ``<lastmod>`` from :attr:`generator.model.Release.updated` (publication,
latest correction or withdrawal) as a W3C datetime in the region's own offset; other pages
have none, because a listing page's "last change" would only repeat its newest release.
Embargoed and draft releases are not in the page list the pages stage passes in, and not in
the :class:`~generator.model.Portal`.

MkDocs writes its own ``sitemap.xml``/``sitemap.xml.gz`` from its navigation; the plugin
replaces the former with the index built here and removes the latter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from . import urls
from .config import Settings
from .diagnostics import UsageError
from .model import Portal

#: Protocol limits per sitemap file.
MAX_URLS_PER_SITEMAP = 50_000
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

SITEMAP_INDEX = "sitemap.xml"
ROBOTS = "robots.txt"
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET_OPEN = f'<urlset xmlns="{_NS}">\n'
_URLSET_CLOSE = "</urlset>\n"


def sitemap_path(number: int) -> str:
    """Site-relative path of the ``number``-th (1-based) sitemap file."""
    return f"sitemaps/sitemap-{number}.xml"


def build_sitemaps(
    portal: Portal,
    settings: Settings,
    page_urls: Sequence[str],
    *,
    max_urls: int = MAX_URLS_PER_SITEMAP,
    max_bytes: int = MAX_SITEMAP_BYTES,
) -> dict[str, bytes]:
    """``sitemap.xml`` (index), ``sitemaps/sitemap-<n>.xml`` and ``robots.txt`` by path.

    ``page_urls`` are the site-relative URLs of every public page (the pages stage's list);
    they are de-duplicated and sorted, so the output does not depend on their order.
    """
    base = _require_base_url(settings)
    if max_urls < 1:
        raise ValueError("max_urls must be at least 1")
    lastmods = {release.url: release.updated for release in portal.releases}
    pages = sorted(set(page_urls))
    if not pages:
        pages = [urls.home()]  # the home page always exists; an empty urlset is invalid

    files: dict[str, bytes] = {}
    index_entries: list[tuple[str, datetime | None]] = []
    for number, chunk in enumerate(_chunks(pages, base, lastmods, max_urls, max_bytes), 1):
        body, newest = chunk
        path = sitemap_path(number)
        files[path] = (_XML_DECLARATION + _URLSET_OPEN + body + _URLSET_CLOSE).encode("utf-8")
        index_entries.append((path, newest))

    index = [_XML_DECLARATION, f'<sitemapindex xmlns="{_NS}">\n']
    for path, newest in index_entries:
        lastmod = f"<lastmod>{_w3c(newest)}</lastmod>" if newest is not None else ""
        index.append(f"<sitemap><loc>{escape(base + path)}</loc>{lastmod}</sitemap>\n")
    index.append("</sitemapindex>\n")
    files[SITEMAP_INDEX] = "".join(index).encode("utf-8")
    files[ROBOTS] = build_robots(base).encode("utf-8")
    return dict(sorted(files.items()))


def build_robots(base: str) -> str:
    """``robots.txt``: everything may be crawled except search result pages."""
    prefix = urlsplit(base).path or "/"
    return (
        f"User-agent: *\nDisallow: {prefix}{urls.search_page()}\n\nSitemap: {base}{SITEMAP_INDEX}\n"
    )


def _chunks(
    pages: Iterable[str],
    base: str,
    lastmods: dict[str, datetime],
    max_urls: int,
    max_bytes: int,
) -> Iterable[tuple[str, datetime | None]]:
    """Sitemap bodies of at most ``max_urls`` entries and ``max_bytes`` bytes (whole file)."""
    overhead = len((_XML_DECLARATION + _URLSET_OPEN + _URLSET_CLOSE).encode("utf-8"))
    entries: list[str] = []
    size = overhead
    newest: datetime | None = None
    for page in pages:
        moment = lastmods.get(page)
        lastmod = f"<lastmod>{_w3c(moment)}</lastmod>" if moment is not None else ""
        entry = f"<url><loc>{escape(base + page)}</loc>{lastmod}</url>\n"
        entry_size = len(entry.encode("utf-8"))
        if entries and (len(entries) >= max_urls or size + entry_size > max_bytes):
            yield "".join(entries), newest
            entries, size, newest = [], overhead, None
        entries.append(entry)
        size += entry_size
        if moment is not None and (newest is None or moment > newest):
            newest = moment
    if entries:
        yield "".join(entries), newest


def _w3c(moment: datetime) -> str:
    """W3C datetime (https://www.w3.org/TR/NOTE-datetime) with the moment's own offset."""
    return moment.isoformat(timespec="seconds")


def _require_base_url(settings: Settings) -> str:
    base = settings.base_url
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            "site_url di mkdocs.yml wajib diisi dengan alamat lengkap portal "
            "(mis. https://portal.go.id/): peta situs memerlukan alamat absolut."
        )
    return base
