"""Small HTML building blocks shared by every generated page.

Rule: every string from the model (titles, names, summaries, office contacts) goes through
:func:`esc` exactly once, at the moment it is put into markup; functions here take plain text
and return HTML. Links between pages are relative (``../../kategori/x/``) so the portal works
below any path and from ``file://``; absolute URLs are only made from ``site_url`` for
metadata (canonical, Open Graph, JSON-LD, feed autodiscovery).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from . import urls
from .model import Category, Office, Region, Release
from .timefmt import format_datetime


def esc(text: str) -> str:
    """Escape text for an HTML element or a double-quoted attribute."""
    return html.escape(text, quote=True)


def relative(from_url: str, to_url: str) -> str:
    """``to_url`` (site-relative) as seen from the page at directory URL ``from_url``."""
    depth = from_url.count("/")
    return ("../" * depth + to_url) or "./"


@dataclass(frozen=True)
class Link:
    """Resolves site-relative URLs for one page."""

    here: str

    def __call__(self, to_url: str) -> str:
        return esc(relative(self.here, to_url))

    @property
    def root(self) -> str:
        """Prefix that leads from this page to the site root (``../../``, or empty)."""
        return "../" * self.here.count("/")


def iso(moment: datetime) -> str:
    """ISO 8601 with offset, as the ``datetime`` attribute of ``<time>`` wants it."""
    return moment.isoformat()


def iso_utc(release: Release) -> str:
    """UTC ISO time of a release: sorts correctly across WIB/WITA/WIT (search sort key)."""
    return release.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_tag(release: Release) -> str:
    return f'<time datetime="{esc(iso(release.date))}">{esc(format_datetime(release.date))}</time>'


def release_item(release: Release, region: Region, category: Category | None, link: Link) -> str:
    """One entry of a release list: title, region badge, local time, category, summary."""
    category_html = (
        f' · <a href="{link(category.url)}">{esc(category.label)}</a>' if category else ""
    )
    hoax = ""
    if release.claim is not None:
        hoax = (
            f' <span class="portal-verdict portal-verdict--{esc(release.claim.verdict.value)}">'
            f"{esc(release.claim.verdict.label)}</span>"
        )
    return (
        '<li class="portal-item">'
        f'<a class="portal-item__title" href="{link(release.url)}">{esc(release.title)}</a>{hoax}'
        '<div class="portal-item__meta">'
        f'<a class="portal-badge" href="{link(region.url)}">{esc(region.name)}</a> · '
        f"{time_tag(release)}{category_html}</div>"
        f'<p class="portal-item__summary">{esc(release.summary)}</p>'
        "</li>"
    )


def release_list(
    releases: Sequence[Release],
    regions: Mapping[str, Region],
    categories: Mapping[str, Category],
    link: Link,
    empty_text: str = "Belum ada rilis.",
) -> str:
    """A ``<ul>`` of release entries (or a sentence when there are none)."""
    if not releases:
        return f'<p class="portal-empty">{esc(empty_text)}</p>'
    items = "".join(
        release_item(r, regions[r.region_id], categories.get(r.category), link) for r in releases
    )
    return f'<ul class="portal-list">{items}</ul>'


def pagination(base_url: str, page: int, page_count: int, link: Link) -> str:
    """Previous/next and a window of page numbers; ``rel`` hints for assistive tech."""
    if page_count <= 1:
        return ""
    parts: list[str] = []
    if page > 1:
        parts.append(
            f'<a class="portal-pages__prev" rel="prev" '
            f'href="{link(urls.paginated(base_url, page - 1))}">« Sebelumnya</a>'
        )
    window = sorted({1, page_count, *range(max(1, page - 2), min(page_count, page + 2) + 1)})
    previous = 0
    for number in window:
        if number - previous > 1:
            parts.append('<span class="portal-pages__gap">…</span>')
        if number == page:
            parts.append(f'<span class="portal-pages__current" aria-current="page">{number}</span>')
        else:
            parts.append(f'<a href="{link(urls.paginated(base_url, number))}">{number}</a>')
        previous = number
    if page < page_count:
        parts.append(
            f'<a class="portal-pages__next" rel="next" '
            f'href="{link(urls.paginated(base_url, page + 1))}">Berikutnya »</a>'
        )
    return (
        f'<nav class="portal-pages" aria-label="Halaman {page} dari {page_count}">'
        + " ".join(parts)
        + "</nav>"
    )


def feed_links(feeds: Iterable[urls.FeedSet], link: Link) -> str:
    """Visible subscribe links (RSS, Atom, JSON) for each feed set."""
    rows = []
    for feed in feeds:
        rows.append(
            f'<li><span class="portal-feeds__title">{esc(feed.title)}</span> '
            f'<a href="{link(feed.rss)}" type="application/rss+xml">RSS</a> · '
            f'<a href="{link(feed.atom)}" type="application/atom+xml">Atom</a> · '
            f'<a href="{link(feed.json)}" type="application/feed+json">JSON</a></li>'
        )
    return (
        '<section class="portal-feeds" aria-label="Umpan berita">'
        '<h2 class="portal-feeds__heading">Ikuti melalui umpan</h2>'
        f"<ul>{''.join(rows)}</ul></section>"
    )


def term(label: str, value_html: str) -> str:
    """One ``<dt>``/``<dd>`` pair of a definition list. ``label`` is trusted text.

    The newlines matter: a text extractor that joins adjacent elements without a space (as
    Pagefind does) would otherwise read "KantorDinas Komunikasi…".
    """
    return f"<dt>{label}</dt>\n<dd>{value_html}</dd>\n"


def office_block(region: Region, heading: bool = True) -> str:
    """The press office's contact details (only the fields the registry gives).

    With a heading it is a ``<section>``; without one (the offices directory, where the
    region's name is the heading around it) a plain ``<div>``, since a section needs a heading.
    """
    office: Office = region.office
    rows = [term("Kantor", esc(region.office_name))]
    if office.website:
        rows.append(
            term(
                "Situs web",
                f'<a href="{esc(office.website)}" rel="noopener">{esc(office.website)}</a>',
            )
        )
    if office.email:
        rows.append(term("Surel", f'<a href="mailto:{esc(office.email)}">{esc(office.email)}</a>'))
    if office.phone:
        rows.append(term("Telepon", esc(office.phone)))
    if office.address:
        rows.append(term("Alamat", esc(office.address)))
    if heading:
        return (
            '<section class="portal-office"><h2>Kontak kantor humas</h2>'
            f"<dl>{''.join(rows)}</dl></section>"
        )
    return f'<div class="portal-office"><dl>{"".join(rows)}</dl></div>'


def count_label(count: int) -> str:
    return f"{count} rilis"


def province_label(province: Region) -> str:
    """A province's name as a search filter value: "Jawa Barat", not "Provinsi Jawa Barat"."""
    return province.name.removeprefix("Provinsi ").strip() or province.name
