"""Stage: Portal → the portal's generated pages (URLs as in ARCHITECTURE.md / ``urls.py``).

:class:`PortalPages` plans every page up front as a small :class:`PageJob` (URL, title, what
to render) and renders a job only when MkDocs is about to write it, so memory stays flat
however large the archive is. Everything a page needs from the whole archive (each release's
position in its region and category, province roll-ups, counts) is computed once, in one pass,
by :class:`ArchiveIndex`; rendering one page then costs the same whatever the number of regions
or releases (a listing page touches only its ``page_size`` releases).

Page kinds: home, all regions, region (any kind; paginated), release, category index, category,
type (``jenis/klarifikasi-hoaks/`` is the hoax hub), tag, archive index, archive month, offices
directory, feeds ("RSS") page, and the search page when the theme provides ``cari.html``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from types import MappingProxyType

from . import urls
from .cache import digest
from .config import Settings
from .model import (
    ISLAND_GROUPS,
    Portal,
    Region,
    RegionKind,
    Release,
    ReleaseType,
)
from .pages_html import (
    Link,
    count_label,
    esc,
    feed_links,
    office_block,
    pagination,
    province_label,
    release_list,
)
from .pages_meta import HeadMeta, head_html
from .pages_release import RELATED_COUNT, ReleaseInputs, RenderedPage, render_release
from .timefmt import format_month

#: Releases on the home page's "latest" lists.
HOME_LATEST = 10
HOME_HOAXES = 5


@dataclass(frozen=True)
class PageJob:
    """A page to generate: where it goes, its title, and which renderer makes it."""

    kind: str
    url: str
    title: str
    key: str = ""
    page: int = 1
    #: Tab pages are part of the navigation; every other generated page is not.
    in_nav: bool = False

    @property
    def src_uri(self) -> str:
        """The virtual Markdown path MkDocs knows the page by (``<url>index.md``)."""
        return f"{self.url}index.md"


#: The top-level tabs: (nav title, URL) of generated pages. "Tentang" (from docs/) follows.
TAB_PAGES: tuple[tuple[str, str], ...] = (
    ("Beranda", urls.home()),
    ("Wilayah", urls.regions_index()),
    ("Kategori", urls.categories_index()),
    ("Klarifikasi Hoaks", urls.release_type(ReleaseType.KLARIFIKASI_HOAKS.value)),
    ("Arsip", urls.archive_index()),
    ("RSS", urls.feeds_page()),
)


class ArchiveIndex:
    """Positions, roll-ups and counts over the whole archive, each computed once per build
    and only when asked for (an edit build asks about one region and one category)."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal
        self._positions: dict[tuple[str, str], Mapping[str, int]] = {}

    @cached_property
    def rollups(self) -> Mapping[str, tuple[Release, ...]]:
        portal = self.portal
        rollups: dict[str, list[Release]] = {p.id: [] for p in portal.provinces()}
        for release in portal.listed:  # newest first, so each roll-up is too
            province = portal.province_of(portal.regions[release.region_id])
            if province is not None:
                rollups[province.id].append(release)
        return MappingProxyType({k: tuple(v) for k, v in rollups.items()})

    def _position(self, kind: str, key: str, siblings: Sequence[Release]) -> Mapping[str, int]:
        """Release id → index in one region's or category's list."""
        found = self._positions.get((kind, key))
        if found is None:
            found = {release.id: index for index, release in enumerate(siblings)}
            self._positions[(kind, key)] = found
        return found

    def listing_of(self, region: Region) -> tuple[Release, ...]:
        """What a region's page lists: a province's roll-up, else the region's own releases."""
        if region.kind is RegionKind.PROVINSI:
            return self.rollups.get(region.id, ())
        return self.portal.releases_of_region(region.id)

    def neighbours(self, release: Release) -> tuple[Release | None, Release | None]:
        """(newer, older) in the same region, like ``Portal.neighbours`` but O(1)."""
        siblings = self.portal.releases_of_region(release.region_id)
        index = self._position("region", release.region_id, siblings).get(release.id)
        if index is None:  # withdrawn: not listed, so no neighbours
            return (None, None)
        newer = siblings[index - 1] if index > 0 else None
        older = siblings[index + 1] if index + 1 < len(siblings) else None
        return (newer, older)

    def related(self, release: Release, exclude: set[str]) -> tuple[Release, ...]:
        """A few releases closest in time: same category first, then same region."""
        chosen: list[Release] = []
        seen = set(exclude) | {release.id}
        sources = (
            ("category", release.category, self.portal.releases_in_category(release.category)),
            ("region", release.region_id, self.portal.releases_of_region(release.region_id)),
        )
        for kind, key, siblings in sources:
            index = self._position(kind, key, siblings).get(release.id)
            if index is None:
                continue
            for distance in range(1, 2 * RELATED_COUNT + 2):
                for candidate_index in (index - distance, index + distance):
                    if 0 <= candidate_index < len(siblings):
                        candidate = siblings[candidate_index]
                        if candidate.id not in seen:
                            seen.add(candidate.id)
                            chosen.append(candidate)
                    if len(chosen) >= RELATED_COUNT:
                        return tuple(chosen)
        return tuple(chosen)


def _token(release: Release) -> str:
    """Identity and content of a release as a cache-key part: its id and source digest (the
    sha256 of its source and image bytes), or its full value when it has no digest."""
    return f"{release.id}@{release.digest}" if release.digest else repr(release)


def _shown(release: Release) -> str:
    """What a page other than the release's own shows of it, as a cache-key part: its id
    and outline digest (every field but the body; see :attr:`Release.outline`)."""
    return f"{release.id}@{release.outline}" if release.outline else repr(release)


def page_count(total: int, page_size: int) -> int:
    return max(1, math.ceil(total / max(page_size, 1)))


def page_slice(items: Sequence[Release], page: int, page_size: int) -> Sequence[Release]:
    start = (page - 1) * page_size
    return items[start : start + page_size]


class PortalPages:
    """Plans and renders every generated page of one build."""

    def __init__(self, portal: Portal, settings: Settings, *, with_search_page: bool) -> None:
        self.portal = portal
        self.settings = settings
        self.with_search_page = with_search_page
        self.base_url = settings.base_url
        self.page_size = max(settings.page_size, 1)

    @cached_property
    def index(self) -> ArchiveIndex:
        return ArchiveIndex(self.portal)

    # --- planning -------------------------------------------------------------------------

    @cached_property
    def jobs(self) -> tuple[PageJob, ...]:
        return tuple(self._plan())

    @cached_property
    def jobs_by_src_uri(self) -> Mapping[str, PageJob]:
        return MappingProxyType({job.src_uri: job for job in self.jobs})

    def tab_jobs(self, releases: Iterable[str] = ()) -> Iterator[PageJob]:
        """The pages of the navigation tabs and the search page, as :attr:`jobs` has them,
        and the pages of the ``releases`` given by id, without planning the whole archive
        (an edit build renders nothing else)."""
        nav_urls = {url for _, url in TAB_PAGES}
        by_id = self._releases_by_id
        yield PageJob("home", urls.home(), "Beranda", in_nav=True)
        yield PageJob("regions", urls.regions_index(), "Wilayah", in_nav=True)
        yield PageJob("offices", urls.offices(), "Kantor Humas", in_nav=True)
        for release_id in releases:
            release = by_id.get(release_id)
            if release is not None:
                yield PageJob("release", release.url, release.title, release.id)
        yield PageJob("categories", urls.categories_index(), "Kategori", in_nav=True)
        for release_type in ReleaseType:
            url = urls.release_type(release_type.value)
            if url in nav_urls:  # its first page is a tab; the others are not
                yield PageJob("type", url, release_type.label, release_type.value, 1, True)
        yield PageJob("archive", urls.archive_index(), "Arsip", in_nav=True)
        yield PageJob("feeds", urls.feeds_page(), "RSS", in_nav=True)
        if self.with_search_page:
            yield PageJob("search", urls.search_page(), "Cari")

    def page_urls(self) -> list[str]:
        """Every public page URL for the sitemap (not the search page)."""
        return [job.url for job in self.jobs if job.kind != "search"]

    def _paginated(
        self,
        kind: str,
        key: str,
        title: str,
        total: int,
        url_of: Callable[[int], str],
        in_nav: bool = False,
    ) -> Iterator[PageJob]:
        for page in range(1, page_count(total, self.page_size) + 1):
            yield PageJob(
                kind,
                url_of(page),
                title if page == 1 else f"{title} (halaman {page})",
                key,
                page,
                in_nav and page == 1,
            )

    def _plan(self) -> Iterator[PageJob]:
        portal, index = self.portal, self.index
        nav_urls = {url for _, url in TAB_PAGES}
        yield PageJob("home", urls.home(), "Beranda", in_nav=True)
        yield PageJob("regions", urls.regions_index(), "Wilayah", in_nav=True)
        yield PageJob("offices", urls.offices(), "Kantor Humas", in_nav=True)
        for region in portal.iter_regions():
            yield from self._paginated(
                "region",
                region.id,
                region.name,
                len(index.listing_of(region)),
                partial(urls.region, region.id),
            )
        for release in portal.releases:
            yield PageJob("release", release.url, release.title, release.id)
        yield PageJob("categories", urls.categories_index(), "Kategori", in_nav=True)
        for category in portal.categories.values():
            yield from self._paginated(
                "category",
                category.id,
                category.label,
                len(portal.releases_in_category(category.id)),
                partial(urls.category, category.id),
            )
        for release_type in ReleaseType:
            type_url = urls.release_type(release_type.value)
            yield from self._paginated(
                "type",
                release_type.value,
                release_type.label,
                len(portal.releases_of_type(release_type)),
                partial(urls.release_type, release_type.value),
                in_nav=type_url in nav_urls,
            )
        for tag in portal.tags():
            yield from self._paginated(
                "tag",
                tag,
                f"Topik: {tag}",
                len(portal.releases_with_tag(tag)),
                partial(urls.tag, tag),
            )
        yield PageJob("archive", urls.archive_index(), "Arsip", in_nav=True)
        for month in portal.months():
            year, number = (int(part) for part in month.split("/"))
            yield from self._paginated(
                "month",
                month,
                f"Arsip {format_month(year, number)}",
                len(portal.releases_in_month(month)),
                partial(urls.archive_month, month),
            )
        yield PageJob("feeds", urls.feeds_page(), "RSS", in_nav=True)
        if self.with_search_page:
            yield PageJob("search", urls.search_page(), "Cari")

    # --- cache keys -----------------------------------------------------------------------

    @cached_property
    def registry_digest(self) -> str:
        """Every region and category record, and the settings every page shows."""
        return digest(
            repr(tuple(self.portal.regions.values())),
            repr(tuple(self.portal.categories.values())),
            self.settings.site_name,
            self.base_url,
            str(self.page_size),
        )

    def input_digest(self, job: PageJob) -> str:
        """Digest of everything the body and head of ``job`` are made from (issue 6).

        Release pages: the release itself (its source and image digest), its region, province
        and category, and the neighbours and related releases it shows with their regions and
        categories. Listing pages: the releases on that page, the number of pages, and the
        region/category registry (every list item shows a region name and a category label).
        The theme, configuration and generator code are added by the caller (the shell).
        """
        if job.kind == "release":
            return self._release_digest(self._releases_by_id[job.key])
        listing: Sequence[Release]
        extra: list[str] = []
        portal = self.portal
        if job.kind == "region":
            region = portal.regions[job.key]
            listing = self.index.listing_of(region)
            if region.kind is RegionKind.PROVINSI and job.page == 1:
                extra.extend(_shown(r) for r in portal.releases_of_region(region.id)[:HOME_HOAXES])
                extra.extend(
                    f"{child.id}={self._region_counts.get(child.id, 0)}"
                    for child in portal.children(region.id)
                )
        elif job.kind == "category":
            listing = portal.releases_in_category(job.key)
        elif job.kind == "type":
            listing = portal.releases_of_type(ReleaseType(job.key))
        elif job.kind == "tag":
            listing = portal.releases_with_tag(job.key)
        elif job.kind == "month":
            listing = portal.releases_in_month(job.key)
        else:
            raise ValueError(f"{job.kind}: page kind has no input digest")
        shown = page_slice(listing, job.page, self.page_size)
        return digest(
            "listing",
            job.kind,
            job.key,
            str(job.page),
            job.url,
            job.title,
            str(page_count(len(listing), self.page_size)),
            self.registry_digest,
            *(_shown(r) for r in shown),
            "|",
            *extra,
        )

    def _release_digest(self, release: Release) -> str:
        inputs = self.release_inputs(release)
        region_text, category_text = self._region_text, self._category_text
        return digest(
            "release",
            release.url,
            release.title,
            _token(release),
            region_text[inputs.region.id],
            region_text[inputs.province.id] if inputs.province else "-",
            category_text.get(release.category, "-") if inputs.category else "-",
            _shown(inputs.newer) if inputs.newer else "-",
            _shown(inputs.older) if inputs.older else "-",
            *(_shown(r) for r in inputs.related),
            *(region_text[region_id] for region_id in sorted(inputs.regions)),
            *(category_text[category_id] for category_id in sorted(inputs.categories)),
            inputs.site_name,
            inputs.base_url,
        )

    @cached_property
    def _region_text(self) -> Mapping[str, str]:
        """Digest of every region record's ``repr``, made once (it is part of many keys)."""
        return {
            region_id: digest(repr(region)) for region_id, region in self.portal.regions.items()
        }

    @cached_property
    def _category_text(self) -> Mapping[str, str]:
        return {key: digest(repr(category)) for key, category in self.portal.categories.items()}

    # --- rendering ------------------------------------------------------------------------

    def render(self, job: PageJob) -> RenderedPage:
        renderer = getattr(self, f"_render_{job.kind}")
        page: RenderedPage = renderer(job)
        return page

    def release_inputs(self, release: Release) -> ReleaseInputs:
        """The inputs of one release page (see :func:`render_release`)."""
        portal = self.portal
        region = portal.regions[release.region_id]
        newer, older = self.index.neighbours(release)
        exclude = {r.id for r in (newer, older) if r is not None}
        related = self.index.related(release, exclude)
        shown = [r for r in (*related, newer, older) if r is not None]
        return ReleaseInputs(
            release=release,
            region=region,
            province=portal.province_of(region),
            category=portal.categories.get(release.category),
            newer=newer,
            older=older,
            related=related,
            regions=MappingProxyType({r.region_id: portal.regions[r.region_id] for r in shown}),
            categories=MappingProxyType(
                {
                    r.category: portal.categories[r.category]
                    for r in shown
                    if r.category in portal.categories
                }
            ),
            site_name=self.settings.site_name,
            base_url=self.base_url,
        )

    def _render_release(self, job: PageJob) -> RenderedPage:
        release = self._releases_by_id[job.key]
        return render_release(self.release_inputs(release))

    @cached_property
    def _releases_by_id(self) -> Mapping[str, Release]:
        return MappingProxyType({r.id: r for r in self.portal.releases})

    def _page(
        self,
        job: PageJob,
        body: str,
        description: str,
        feeds: Sequence[urls.FeedSet],
        indexable: bool = True,
    ) -> RenderedPage:
        meta = HeadMeta(
            url=job.url,
            title=job.title,
            description=description,
            feeds=tuple(feeds),
            indexable=indexable,
        )
        return RenderedPage(
            url=job.url,
            title=job.title,
            head_html=head_html(meta, base_url=self.base_url, site_name=self.settings.site_name),
            body_html=body,
        )

    def _list(
        self, releases: Sequence[Release], link: Link, empty: str = "Belum ada rilis."
    ) -> str:
        return release_list(releases, self.portal.regions, self.portal.categories, link, empty)

    def _listing(self, job: PageJob, releases: Sequence[Release], base_url: str, link: Link) -> str:
        count = page_count(len(releases), self.page_size)
        shown = page_slice(releases, job.page, self.page_size)
        nav = pagination(base_url, job.page, count, link)
        return (
            f'<section class="portal-listing" aria-label="Daftar rilis">'
            f"{self._list(shown, link)}{nav}</section>"
        )

    # home ---------------------------------------------------------------------------------

    def _render_home(self, job: PageJob) -> RenderedPage:
        portal, link = self.portal, Link(job.url)
        hoax = ReleaseType.KLARIFIKASI_HOAKS
        counts = self._region_counts
        parts = [
            f'<h1 class="portal-home__title">{esc(self.settings.site_name)}</h1>',
            '<p class="portal-lead">Siaran pers dan informasi resmi pemerintah pusat, '
            "provinsi, serta kabupaten/kota di seluruh Indonesia.</p>",
            '<div class="portal-home">',
            '<section class="portal-home__latest"><h2>Rilis terbaru</h2>',
            self._list(portal.listed[:HOME_LATEST], link),
            f'<p><a href="{link(urls.archive_index())}">Semua rilis di arsip »</a></p></section>',
            '<section class="portal-home__hoax"><h2>Klarifikasi hoaks terbaru</h2>',
            self._list(portal.releases_of_type(hoax)[:HOME_HOAXES], link, "Belum ada klarifikasi."),
            f'<p><a href="{link(hoax.url)}">Semua klarifikasi hoaks »</a></p></section>',
            "</div>",
            '<section class="portal-home__regions"><h2>Wilayah</h2>',
        ]
        central = [r for r in portal.iter_regions() if r.island_group is None]
        if central:
            parts.append("<h3>Pemerintah pusat dan lembaga</h3>")
            parts.append(self._region_links(central, counts, link))
        for group, provinces in self._provinces_by_island_group():
            parts.append(f"<h3>{esc(group)}</h3>")
            parts.append(self._region_links(provinces, counts, link))
        parts.append(
            f'<p><a href="{link(urls.regions_index())}">Semua provinsi dan kabupaten/kota »</a>'
            f' · <a href="{link(urls.offices())}">Direktori kantor humas »</a></p></section>'
        )
        parts.append(feed_links([urls.national_feed()], link))
        parts.append(f'<p><a href="{link(urls.feeds_page())}">Semua umpan RSS »</a></p>')
        return self._page(
            job,
            "".join(parts),
            "Siaran pers dan informasi resmi pemerintah pusat dan daerah di satu tempat.",
            [urls.national_feed()],
        )

    @cached_property
    def _region_counts(self) -> Mapping[str, int]:
        """Listed releases per region page (a province counts its roll-up)."""
        return MappingProxyType(
            {r.id: len(self.index.listing_of(r)) for r in self.portal.iter_regions()}
        )

    def _provinces_by_island_group(self) -> list[tuple[str, list[Region]]]:
        order = list(dict.fromkeys(name for _, name in ISLAND_GROUPS))
        groups: dict[str, list[Region]] = {name: [] for name in order}
        for province in self.portal.provinces():
            group = province.island_group
            if group is not None:
                groups.setdefault(group, []).append(province)
        return [(name, members) for name, members in groups.items() if members]

    @staticmethod
    def _region_links(regions: Sequence[Region], counts: Mapping[str, int], link: Link) -> str:
        items = "".join(
            f'<li><a href="{link(r.url)}">{esc(r.name)}</a> '
            f'<span class="portal-count">{count_label(counts.get(r.id, 0))}</span></li>'
            for r in regions
        )
        return f'<ul class="portal-regions">{items}</ul>'

    # regions ------------------------------------------------------------------------------

    def _render_regions(self, job: PageJob) -> RenderedPage:
        portal, link = self.portal, Link(job.url)
        counts = self._region_counts
        parts = [
            "<h1>Wilayah</h1>",
            f'<p class="portal-lead">{len(portal.regions)} penerbit: pemerintah pusat, lembaga, '
            "provinsi, dan kabupaten/kota. Lihat juga "
            f'<a href="{link(urls.offices())}">direktori kantor humas</a>.</p>',
        ]
        central = [r for r in portal.iter_regions() if r.island_group is None]
        if central:
            parts.append("<h2>Pemerintah pusat dan lembaga</h2>")
            parts.append(self._region_links(central, counts, link))
        for group, provinces in self._provinces_by_island_group():
            parts.append(f"<h2>{esc(group)}</h2>")
            for province in provinces:
                parts.append(
                    f'<h3><a href="{link(province.url)}">{esc(province.name)}</a> '
                    f'<span class="portal-count">{count_label(counts.get(province.id, 0))}'
                    "</span></h3>"
                )
                children = portal.children(province.id)
                if children:
                    parts.append(self._region_links(children, counts, link))
        return self._page(
            job,
            "".join(parts),
            "Semua provinsi, kabupaten, dan kota beserta rilis resminya.",
            [urls.national_feed()],
        )

    # one region ---------------------------------------------------------------------------

    def region_feeds(self, region: Region) -> list[urls.FeedSet]:
        feeds = [urls.region_feed(region.id, region.name)]
        if region.kind is RegionKind.PROVINSI:
            feeds.insert(0, urls.rollup_feed(region.id, region.name))
        return feeds

    def _render_region(self, job: PageJob) -> RenderedPage:
        portal, link = self.portal, Link(job.url)
        region = portal.regions[job.key]
        province = portal.province_of(region)
        listing = self.index.listing_of(region)
        feeds = self.region_feeds(region)
        kind = region.kind.label
        intro: list[str] = [f"<h1>{esc(job.title)}</h1>"]
        context = [f'<span class="portal-badge">{esc(kind)}</span>']
        if province is not None and province.id != region.id:
            context.append(f'bagian dari <a href="{link(province.url)}">{esc(province.name)}</a>')
        context.append(f"zona waktu {esc(region.zone_label)}")
        intro.append(f'<p class="portal-region__context">{" · ".join(context)}</p>')
        intro.append(office_block(region))
        # Only the first page of a region is a search result (kind "Wilayah"), not its copies.
        if job.page == 1:
            data = [("filter", "jenis", "Wilayah"), ("filter", "wilayah", region.name)]
            if province is not None:
                data.append(("filter", "provinsi", province_label(province)))
            data.append(("meta", "wilayah", region.name))
            spans = "".join(f'<span data-pagefind-{k}="{n}">{esc(v)}</span>' for k, n, v in data)
            head = (
                f'<section class="portal-region" data-pagefind-body>{"".join(intro)}'
                f"<div hidden data-pagefind-ignore>{spans}</div></section>"
            )
        else:
            head = f'<section class="portal-region">{"".join(intro)}</section>'
        parts = [head]
        if region.kind is RegionKind.PROVINSI and job.page == 1:
            own = portal.releases_of_region(region.id)
            parts.append(f"<h2>Rilis Pemerintah {esc(region.name)}</h2>")
            parts.append(self._list(own[:HOME_HOAXES], link))
            children = portal.children(region.id)
            if children:
                parts.append(f"<h2>Kabupaten/kota di {esc(region.name)}</h2>")
                parts.append(self._region_links(children, self._region_counts, link))
        if region.kind is RegionKind.PROVINSI:
            parts.append(f"<h2>Semua rilis se-{esc(region.name)}</h2>")
        else:
            parts.append("<h2>Rilis</h2>")
        parts.append(self._listing(job, listing, region.url, link))
        parts.append(feed_links(feeds, link))
        description = f"Siaran pers dan informasi resmi {region.office_name} ({region.name})."
        return self._page(job, "".join(parts), description, feeds)

    # categories, types, tags, archive ------------------------------------------------------

    def _render_categories(self, job: PageJob) -> RenderedPage:
        portal, link = self.portal, Link(job.url)
        parts = ["<h1>Kategori</h1>", '<ul class="portal-categories">']
        for category in portal.categories.values():
            count = len(portal.releases_in_category(category.id))
            description = f" — {esc(category.description)}" if category.description else ""
            parts.append(
                f'<li><a href="{link(category.url)}">{esc(category.label)}</a> '
                f'<span class="portal-count">{count_label(count)}</span>{description}</li>'
            )
        parts.append("</ul><h2>Jenis rilis</h2><ul>")
        for release_type in ReleaseType:
            count = len(portal.releases_of_type(release_type))
            parts.append(
                f'<li><a href="{link(release_type.url)}">{esc(release_type.label)}</a> '
                f'<span class="portal-count">{count_label(count)}</span></li>'
            )
        parts.append("</ul>")
        tags = portal.tags()
        if tags:
            parts.append('<h2>Topik</h2><p class="portal-tags">')
            parts.append(
                " ".join(
                    f'<a class="portal-tag" href="{link(urls.tag(tag))}">#{esc(tag)}</a> '
                    f'<span class="portal-count">({len(portal.releases_with_tag(tag))})</span>'
                    for tag in tags
                )
            )
            parts.append("</p>")
        return self._page(
            job, "".join(parts), "Rilis menurut kategori, jenis, dan topik.", [urls.national_feed()]
        )

    def _render_category(self, job: PageJob) -> RenderedPage:
        category = self.portal.categories[job.key]
        link = Link(job.url)
        feeds = [urls.category_feed(category.id, category.label)]
        parts = [f"<h1>{esc(job.title)}</h1>"]
        if category.description:
            parts.append(f'<p class="portal-lead">{esc(category.description)}</p>')
        parts.append(
            self._listing(job, self.portal.releases_in_category(category.id), category.url, link)
        )
        parts.append(feed_links(feeds, link))
        return self._page(
            job,
            "".join(parts),
            category.description or f"Rilis berkategori {category.label}.",
            feeds,
        )

    def _render_type(self, job: PageJob) -> RenderedPage:
        release_type = ReleaseType(job.key)
        link = Link(job.url)
        feeds = [urls.type_feed(release_type.value, release_type.label)]
        parts = [f"<h1>{esc(job.title)}</h1>"]
        if release_type is ReleaseType.KLARIFIKASI_HOAKS:
            description = (
                "Klarifikasi resmi atas kabar yang beredar: klaimnya, hasil pemeriksaannya, "
                "dan penjelasan dari instansi yang berwenang."
            )
        else:
            description = f"Semua rilis berjenis {release_type.label}."
        parts.append(f'<p class="portal-lead">{esc(description)}</p>')
        parts.append(
            self._listing(job, self.portal.releases_of_type(release_type), release_type.url, link)
        )
        parts.append(feed_links(feeds, link))
        return self._page(job, "".join(parts), description, feeds)

    def _render_tag(self, job: PageJob) -> RenderedPage:
        link = Link(job.url)
        parts = [
            f"<h1>{esc(job.title)}</h1>",
            self._listing(job, self.portal.releases_with_tag(job.key), urls.tag(job.key), link),
        ]
        return self._page(
            job, "".join(parts), f"Rilis dengan topik {job.key}.", [urls.national_feed()]
        )

    def _render_archive(self, job: PageJob) -> RenderedPage:
        portal, link = self.portal, Link(job.url)
        parts = ["<h1>Arsip</h1>"]
        years: dict[str, list[str]] = {}
        for month in portal.months():  # newest first
            years.setdefault(month[:4], []).append(month)
        if not years:
            parts.append('<p class="portal-empty">Belum ada rilis.</p>')
        for year, months in years.items():
            parts.append(f'<h2>{esc(year)}</h2><ul class="portal-months">')
            for month in months:
                number = int(month[5:])
                parts.append(
                    f'<li><a href="{link(urls.archive_month(month))}">'
                    f"{esc(format_month(int(year), number))}</a> "
                    f'<span class="portal-count">'
                    f"{count_label(len(portal.releases_in_month(month)))}</span></li>"
                )
            parts.append("</ul>")
        return self._page(
            job, "".join(parts), "Semua rilis menurut bulan terbit.", [urls.national_feed()]
        )

    def _render_month(self, job: PageJob) -> RenderedPage:
        link = Link(job.url)
        parts = [
            f"<h1>{esc(job.title)}</h1>",
            f'<p><a href="{link(urls.archive_index())}">« Semua bulan</a></p>',
            self._listing(
                job,
                self.portal.releases_in_month(job.key),
                urls.archive_month(job.key),
                link,
            ),
        ]
        return self._page(
            job, "".join(parts), f"Rilis yang terbit pada {job.title[6:]}.", [urls.national_feed()]
        )

    # offices, feeds, search ---------------------------------------------------------------

    def _render_offices(self, job: PageJob) -> RenderedPage:
        portal, link = self.portal, Link(job.url)
        parts = [
            "<section data-pagefind-body>",
            "<h1>Kantor Humas</h1>",
            '<p class="portal-lead">Kontak kantor hubungan masyarakat setiap penerbit, '
            "beserta umpan rilisnya.</p>",
            '<div hidden data-pagefind-ignore><span data-pagefind-filter="jenis">Kantor</span>'
            "</div>",
        ]
        for region in portal.iter_regions():
            region_feed = urls.region_feed(region.id, region.name)
            parts.append(
                f'<section class="portal-office-entry" id="{esc(region.id)}">'
                f'<h2><a href="{link(region.url)}">{esc(region.name)}</a></h2>'
                f"{office_block(region, heading=False)}"
                f'<p class="portal-office-entry__feeds">Umpan: '
                f'<a href="{link(region_feed.rss)}">RSS</a> · '
                f'<a href="{link(region_feed.atom)}">Atom</a> · '
                f'<a href="{link(region_feed.json)}">JSON</a></p></section>'
            )
        parts.append("</section>")
        return self._page(
            job,
            "".join(parts),
            "Direktori kantor humas pemerintah pusat dan daerah beserta kontaknya.",
            [urls.national_feed()],
        )

    def _render_feeds(self, job: PageJob) -> RenderedPage:
        from .feeds import all_feed_sets

        link = Link(job.url)
        parts = [
            "<h1>RSS</h1>",
            '<p class="portal-lead">Setiap wilayah, provinsi (gabungan dengan kabupaten/kotanya), '
            "kategori, dan jenis rilis punya umpan RSS 2.0, Atom, dan JSON Feed. Salin alamatnya "
            "ke aplikasi pembaca umpan.</p>",
            f'<p>Semua umpan sekaligus (OPML): <code class="portal-feed-url">'
            f"{esc(self._absolute(urls.opml()))}</code></p>",
        ]
        current_group = None
        for group, feed, html_url in all_feed_sets(self.portal):
            if group != current_group:
                if current_group is not None:
                    parts.append("</tbody></table>")
                parts.append(
                    f'<h2>{esc(group)}</h2><table class="portal-feed-table"><thead><tr>'
                    "<th>Umpan</th><th>RSS</th><th>Atom</th><th>JSON Feed</th></tr></thead><tbody>"
                )
                current_group = group
            cells = "".join(
                f'<td><code class="portal-feed-url">{esc(self._absolute(path))}</code></td>'
                for path in (feed.rss, feed.atom, feed.json)
            )
            parts.append(
                f'<tr><th scope="row"><a href="{link(html_url)}">{esc(feed.title)}</a></th>'
                f"{cells}</tr>"
            )
        if current_group is not None:
            parts.append("</tbody></table>")
        return self._page(
            job,
            "".join(parts),
            "Alamat umpan RSS, Atom, dan JSON Feed seluruh wilayah, kategori, dan jenis rilis.",
            [urls.national_feed()],
        )

    def _absolute(self, path: str) -> str:
        return self.base_url + path if self.base_url else "/" + path

    def _render_search(self, job: PageJob) -> RenderedPage:
        # The search helper's cari.html template draws the page; only the head is ours.
        return self._page(
            job, "", "Cari siaran pers, wilayah, dan kantor humas.", [urls.national_feed()]
        )

    # pages that are not generated ----------------------------------------------------------

    def head_for_other_page(
        self, url: str, title: str, description: str, indexable: bool = True
    ) -> str:
        """Head metadata for docs pages (Tentang, Panduan) and the 404 page."""
        meta = HeadMeta(
            url=url,
            title=title,
            description=description,
            feeds=(urls.national_feed(),),
            indexable=indexable,
        )
        return head_html(meta, base_url=self.base_url, site_name=self.settings.site_name)
