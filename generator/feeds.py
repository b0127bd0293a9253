"""Feeds for aggregators: RSS 2.0, Atom 1.0 and JSON Feed 1.1 for every listing, plus OPML.

One *feed set* (three files, :class:`generator.urls.FeedSet`) exists for the nation, for every
region in the registry (empty ones included, so that a subscription made today keeps working
once the office publishes), for each province's roll-up, for each category and for each
release type. RSS and Atom are made with ``feedgen``; JSON Feed and OPML are small enough to
write directly.

Editorial policy (issue 4, "Editorial states"):

* **GUIDs.** An item's RSS ``guid`` (``isPermaLink="false"``), Atom ``id`` and JSON Feed
  ``id`` are the RFC 4151 tag URI ``tag:<host>,2024:<release id>``. The release id is the
  permanent ``<region-id>/<YYYY-MM-DD>-<slug>`` from the file name, so editing the title, the
  body, the summary or the front-matter date never changes the GUID, and aggregators never
  show a corrected release twice.
* **Corrections** (``updates``) bump Atom ``updated`` / JSON ``date_modified`` and are
  appended to the item's content as a dated "Pembaruan" block.
* **Withdrawn** releases are *removed* from every item list (the model's ``Portal.listed``).
  Their GUID stays reserved: it derives from the release id, and the id stays taken because
  the withdrawn file stays in the repository (its page stays, marked withdrawn). A withdrawal
  that falls inside a feed's window bumps the channel's ``lastBuildDate``/``updated`` so that
  aggregators notice the change.
* **Embargoed and draft** releases are not in the :class:`~generator.model.Portal` at all.

Determinism: nothing depends on "now". feedgen stamps ``lastBuildDate``/``updated`` with the
clock and adds a ``generator`` element by default; both are overridden here. Channel dates
come from the items; an empty feed carries :data:`EMPTY_FEED_DATE`, a constant, so that it is
byte-identical from build to build until its first release.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from . import urls
from .cache import BuildCache, BuildState, code_version, digest
from .config import Settings
from .diagnostics import UsageError
from .markup import render_body
from .model import Portal, Region, Release, ReleaseType
from .render_pool import run_tasks
from .timefmt import format_datetime

#: The year in every tag URI (RFC 4151 §2.1: a date at which the authority owned the host).
#: Part of every GUID: never change it.
TAG_DATE = "2024"

#: Channel date of a feed that has never had an item. A constant (the portal's start), not the
#: build time and not the newest release elsewhere: either would change the bytes of hundreds
#: of empty feeds on every build although nothing in them changed.
EMPTY_FEED_DATE = datetime(2024, 1, 1, tzinfo=ZoneInfo("Asia/Jakarta"))

#: Zone of channel-level dates of feeds that span several regions (WIB, the capital's zone).
NATIONAL_TIMEZONE = "Asia/Jakarta"

#: RSS ``ttl``: minutes an aggregator may cache a feed. The portal is rebuilt on every merge.
TTL_MINUTES = 60

#: Site icon used as RSS ``image`` / Atom ``icon``/``logo`` / JSON Feed ``icon``.
#: The pages stage ships this file.
LOGO_PATH = "assets/logo.png"

LANGUAGE = "id"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

#: Group label of the national feed and the central publishers in OPML and on the RSS page.
CENTRAL_GROUP = "Nasional dan Lembaga Pusat"
CATEGORY_GROUP = "Kategori"
TYPE_GROUP = "Jenis Rilis"

_MEDIA_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


@dataclass(frozen=True)
class FeedSpec:
    """One feed set and what goes into it."""

    group: str
    feed: urls.FeedSet
    html_url: str  # site-relative listing page the channel links to
    description: str
    author: str  # feed-level author (Atom requires one on the feed or on every entry)
    timezone: str  # zone of the channel-level dates
    releases: tuple[Release, ...]  # listed releases in scope, newest first (not yet truncated)
    in_scope: Callable[[Release], bool]  # for withdrawn releases, which are not listed


@dataclass(frozen=True)
class _Item:
    """Everything about one release that its feed entries share, computed once per build."""

    release: Release
    region: Region
    guid: str
    link: str
    published: datetime
    updated: datetime
    creator: str
    content_html: str
    categories: tuple[tuple[str, str, str], ...]  # (term, label, scheme)
    image_url: str | None


def all_feed_sets(portal: Portal) -> list[tuple[str, urls.FeedSet, str]]:
    """``(group label, feed set, site-relative HTML page)`` for every feed, in OPML order.

    National and central publishers first, then each province (its roll-up, its own feed, its
    kabupaten/kota in registry order), then categories and release types. The pages stage
    uses this for the "RSS" page and for ``<link rel="alternate">`` autodiscovery.
    """
    return [(spec.group, spec.feed, spec.html_url) for spec in feed_specs(portal)]


#: The last portal's feed specs: a build asks several times (pages, cache keys, feeds).
_SPECS_MEMO: list[tuple[Portal, list[FeedSpec]]] = []


def feed_specs(portal: Portal) -> list[FeedSpec]:
    """Every feed of the portal with its scope, in the order of :func:`all_feed_sets`."""
    if _SPECS_MEMO and _SPECS_MEMO[0][0] is portal:
        return list(_SPECS_MEMO[0][1])
    specs = _feed_specs(portal)
    _SPECS_MEMO[:] = [(portal, specs)]
    return list(specs)


def _rollups(portal: Portal) -> dict[str, tuple[Release, ...]]:
    """Each province's roll-up (``Portal.rollup``) for all provinces in one pass."""
    province_of: dict[str, str] = {}
    for province in portal.provinces():
        province_of[province.id] = province.id
        for child in portal.children(province.id):
            province_of[child.id] = province.id
    groups: dict[str, list[Release]] = {}
    for release in portal.listed:  # newest first, so each roll-up is too
        province_id = province_of.get(release.region_id)
        if province_id is not None:
            groups.setdefault(province_id, []).append(release)
    return {key: tuple(value) for key, value in groups.items()}


def _feed_specs(portal: Portal) -> list[FeedSpec]:
    site = portal.site_name
    rollups = _rollups(portal)
    specs = [
        FeedSpec(
            group=CENTRAL_GROUP,
            feed=urls.national_feed(),
            html_url=urls.home(),
            description=f"Rilis terbaru pemerintah pusat dan seluruh daerah di {site}.",
            author=site,
            timezone=NATIONAL_TIMEZONE,
            releases=portal.listed,
            in_scope=_everything,
        )
    ]
    provinces = portal.provinces()
    province_ids = {p.id for p in provinces}
    placed = set(province_ids)
    for province in provinces:
        placed.update(child.id for child in portal.children(province.id))
    # Everything that is not a province or below one: pusat, the central institutions, and
    # (defensively) any region whose parent is not a province.
    for region in portal.iter_regions():
        if region.id not in placed:
            specs.append(_region_spec(portal, region, CENTRAL_GROUP))
    for province in provinces:
        members = frozenset({province.id, *(c.id for c in portal.children(province.id))})
        specs.append(
            FeedSpec(
                group=province.name,
                feed=urls.rollup_feed(province.id, province.name),
                html_url=urls.region(province.id),
                description=(f"Rilis terbaru {province.name} beserta seluruh kabupaten/kotanya."),
                author=province.office_name,
                timezone=province.timezone,
                releases=rollups.get(province.id, ()),
                in_scope=_published_by(members),
            )
        )
        specs.append(_region_spec(portal, province, province.name))
        for child in portal.children(province.id):
            specs.append(_region_spec(portal, child, province.name))
    for category in portal.categories.values():
        specs.append(
            FeedSpec(
                group=CATEGORY_GROUP,
                feed=urls.category_feed(category.id, category.label),
                html_url=urls.category(category.id),
                description=(
                    f"Rilis terbaru berkategori {category.label}"
                    + (f": {category.description}" if category.description else ".")
                ),
                author=site,
                timezone=NATIONAL_TIMEZONE,
                releases=portal.releases_in_category(category.id),
                in_scope=_in_category(category.id),
            )
        )
    for release_type in ReleaseType:
        specs.append(
            FeedSpec(
                group=TYPE_GROUP,
                feed=urls.type_feed(release_type.value, release_type.label),
                html_url=urls.release_type(release_type.value),
                description=f"Rilis terbaru berjenis {release_type.label} dari seluruh {site}.",
                author=site,
                timezone=NATIONAL_TIMEZONE,
                releases=portal.releases_of_type(release_type),
                in_scope=_of_type(release_type),
            )
        )
    return specs


def _everything(_release: Release) -> bool:
    return True


def _published_by(region_ids: frozenset[str]) -> Callable[[Release], bool]:
    return lambda release: release.region_id in region_ids


def _in_category(category_id: str) -> Callable[[Release], bool]:
    return lambda release: release.category == category_id


def _of_type(release_type: ReleaseType) -> Callable[[Release], bool]:
    return lambda release: release.type is release_type


def _region_spec(portal: Portal, region: Region, group: str) -> FeedSpec:
    return FeedSpec(
        group=group,
        feed=urls.region_feed(region.id, region.name),
        html_url=urls.region(region.id),
        description=(
            f"Rilis terbaru {region.name}: siaran pers dan informasi resmi dari "
            f"{region.office_name}."
        ),
        author=region.office_name,
        timezone=region.timezone,
        releases=portal.releases_of_region(region.id),
        in_scope=_published_by(frozenset({region.id})),
    )


@dataclass
class FeedCache:
    """The build cache as the feeds stage uses it: which entry each feed file has (``state``).

    ``edited`` is set in an edit build (generator.plugin): the ids of the releases whose body
    alone changed since the previous build, when nothing else did. A feed set with none of
    them in its window or among its withdrawn releases then has the previous build's key and
    files, so its key is not computed again."""

    cache: BuildCache
    state: BuildState
    edited: frozenset[str] | None = None
    #: Every feed set's entries in one portal (made once: both feed stages need them).
    _all: tuple[Portal, list[dict[str, Path]]] | None = None
    _to_build: tuple[Portal, list[FeedSpec]] | None = None
    _cached: dict[Path, bool] = field(default_factory=dict)

    def all_entries(
        self, portal: Portal, settings: Settings, specs: Sequence[FeedSpec]
    ) -> list[dict[str, Path]]:
        """The cache entries of each feed set's three files, in the order of ``specs``
        (recorded in ``state`` as used by this build)."""
        if self._all is not None and self._all[0] is portal:
            return self._all[1]
        withdrawn = tuple(r for r in portal.releases if r.withdrawn is not None)
        limit = max(settings.feed_items, 0)
        common = _common_key(portal, settings, limit)
        previous = self.cache.previous.feeds
        every: list[dict[str, Path]] = []
        for spec in specs:
            paths = (spec.feed.rss, spec.feed.atom, spec.feed.json)
            names = [previous.get(path) for path in paths]
            if (
                self.edited is None
                or _shows_any(spec, self.edited, limit, withdrawn)
                or None in names
            ):
                key = _feed_key(common, spec, limit, withdrawn)
                entries = {path: self.cache.feed_path(digest(key, path)) for path in paths}
            else:
                entries = {
                    path: self.cache.feed_path(str(name))
                    for path, name in zip(paths, names, strict=True)
                }
            for path, entry in entries.items():
                self.state.feeds[path] = entry.name
            every.append(entries)
        self._all = (portal, every)
        return every

    def cached(self, entries: Mapping[str, Path]) -> bool:
        """Whether every entry is in the cache (asked by both feed stages: answered once,
        since nothing adds entries between them)."""
        first = next(iter(entries.values()))
        known = self._cached.get(first)
        if known is None:
            known = all(entry.is_file() for entry in entries.values())
            self._cached[first] = known
        return known

    def made(self, entries: Mapping[str, Path]) -> None:
        """Note that a feed set's entries were just written into the cache."""
        self._cached[next(iter(entries.values()))] = True


def _shows_any(
    spec: FeedSpec, edited: frozenset[str], limit: int, withdrawn: Sequence[Release]
) -> bool:
    """Whether an edited release is in the feed set's key: in its window, or withdrawn and
    in its scope (see :func:`_feed_key`)."""
    return any(r.id in edited for r in spec.releases[:limit]) or any(
        r.id in edited and spec.in_scope(r) for r in withdrawn
    )


@overload
def build_feeds(portal: Portal, settings: Settings) -> dict[str, bytes]: ...


@overload
def build_feeds(
    portal: Portal,
    settings: Settings,
    cache: FeedCache,
    contents: Mapping[str, str] | None = None,
    *,
    parallel: bool = False,
) -> dict[str, bytes | Path]: ...


def build_feeds(
    portal: Portal,
    settings: Settings,
    cache: FeedCache | None = None,
    contents: Mapping[str, str] | None = None,
    *,
    parallel: bool = False,
) -> dict[str, bytes] | dict[str, bytes | Path]:
    """Every feed file (RSS, Atom, JSON Feed) and the OPML, by site-relative path.

    With ``cache`` (issue 6), a feed set whose inputs are unchanged since a build still in the
    cache is not built again: its files are returned as the cached files' paths (same bytes).
    A feed set's key covers its channel fields, the releases in its window (id and source
    digest), the withdrawn releases in its scope (they move the channel date), the region and
    category registry (names, labels, zones and offices shown in items), the settings and the
    generator code. The other feed sets are built straight into their cache entries (with
    ``parallel``, on every core: each set is independent) and returned the same way.
    ``contents`` holds item contents (:func:`item_content_html`) already rendered elsewhere
    (the plugin renders them on every core), by release id.
    """
    base = _require_base_url(settings)
    builder = _FeedBuilder(portal, settings, base, contents)
    withdrawn = tuple(r for r in portal.releases if r.withdrawn is not None)
    specs = feed_specs(portal)
    files: dict[str, bytes | Path] = {}
    if cache is None:
        for spec in specs:
            files.update(builder.build(spec, withdrawn))
    else:
        every = cache.all_entries(portal, settings, specs)
        missing = [index for index, entries in enumerate(every) if not cache.cached(entries)]

        def build_set(task: int) -> None:
            index = missing[task]
            for path, data in builder.build(specs[index], withdrawn).items():
                BuildCache.write_entry(every[index][path], data)

        # Small chunks: a national feed set costs many times a regency's.
        run_tasks(len(missing), build_set, label="Membuat umpan", parallel=parallel, chunk=8)
        for index in missing:
            cache.made(every[index])
        for entries in every:
            files.update(entries)
    files[urls.opml()] = build_opml(portal, base, specs)
    return dict(sorted(files.items()))


def contents_needed(portal: Portal, settings: Settings, cache: FeedCache) -> list[Release]:
    """Releases whose item content the next :func:`build_feeds` with ``cache`` will need (the
    items of every feed set not in the cache), each once, in a stable order."""
    limit = max(settings.feed_items, 0)
    needed: dict[str, Release] = {}
    for spec in _sets_to_build(portal, settings, cache):
        for release in spec.releases[:limit]:
            needed.setdefault(release.id, release)
    return sorted(needed.values(), key=lambda r: r.id)


def previous_contents(
    portal: Portal, settings: Settings, cache: FeedCache, releases: Sequence[Release]
) -> dict[str, str]:
    """The item contents of ``releases`` as the previous build wrote them into its JSON Feed
    files (``content_html`` is :func:`item_content_html` verbatim), by release id.

    For an edit build only (generator.plugin): the code, the settings and the regions are
    then as they were, so a release whose source is unchanged since that build has the item
    content that build made. ``releases`` must be such releases. Only the feed sets this
    build makes again are read (their previous files, from the cache); a release not found
    in them, or a file that cannot be read, is simply not returned: it is rendered."""
    base = _require_base_url(settings)
    wanted = {release_guid(base, release): release.id for release in releases}
    previous = cache.cache.previous.feeds
    found: dict[str, str] = {}
    for spec in _sets_to_build(portal, settings, cache):
        if len(found) == len(wanted):
            break
        name = previous.get(spec.feed.json)
        if name is None:
            continue
        try:
            items = json.loads(cache.cache.feed_path(name).read_bytes())["items"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for item in items:
            guid = item.get("id") if isinstance(item, dict) else None
            content = item.get("content_html") if isinstance(guid, str) else None
            if isinstance(guid, str) and guid in wanted and isinstance(content, str):
                found.setdefault(wanted[guid], content)
    return found


def _sets_to_build(portal: Portal, settings: Settings, cache: FeedCache) -> list[FeedSpec]:
    """The feed sets whose files are not in the cache under this build's keys (found once
    per build: both the contents and the feeds stage ask)."""
    if cache._to_build is not None and cache._to_build[0] is portal:
        return cache._to_build[1]
    specs = feed_specs(portal)
    every = cache.all_entries(portal, settings, specs)
    to_build = [
        spec for spec, entries in zip(specs, every, strict=True) if not cache.cached(entries)
    ]
    cache._to_build = (portal, to_build)
    return to_build


def _common_key(portal: Portal, settings: Settings, limit: int) -> str:
    """What every feed set's key holds: the code, the settings, the registry."""
    return digest(
        code_version(),
        settings.base_url,
        str(limit),
        portal.site_name,
        repr(tuple(portal.regions.values())),
        repr(tuple(portal.categories.values())),
    )


def _feed_key(common: str, spec: FeedSpec, limit: int, withdrawn: Sequence[Release]) -> str:
    """A feed set's key: its channel fields, the releases in its window (id and source
    digest) and the withdrawn releases in its scope (they move the channel date)."""
    return digest(
        common,
        spec.group,
        repr(spec.feed),
        spec.html_url,
        spec.description,
        spec.author,
        spec.timezone,
        *(_token(r) for r in spec.releases[:limit]),
        "|",
        *(_token(r) for r in withdrawn if spec.in_scope(r)),
    )


def _token(release: Release) -> str:
    return f"{release.id}@{release.digest}" if release.digest else repr(release)


def item_content_html(release: Release, region: Region, base: str) -> str:
    """An item's content: the full sanitized body with absolute URLs, the image, the claim and
    the corrections. A pure function of its arguments (rendered on every core by the plugin)."""
    parts: list[str] = []
    if release.image is not None:
        parts.append(
            f'<figure><img src="{html.escape(base + release.image.url)}" '
            f'alt="{html.escape(release.image.alt)}"></figure>'
        )
    if release.claim is not None:
        parts.append(
            "<aside><p><strong>Klaim yang beredar:</strong> "
            f"{html.escape(release.claim.text)}</p>"
            f"<p><strong>Penilaian:</strong> {html.escape(release.claim.verdict.label)}"
            "</p></aside>"
        )
    body = render_body(release.body_markdown, source_dir=release.source_dir, url_prefix=base)
    parts.append(_absolute_fragments(body, base + release.url))
    if release.updates:
        notes = "".join(
            f'<li><time datetime="{update.date.astimezone(region.tzinfo).isoformat()}">'
            f"{html.escape(format_datetime(update.date.astimezone(region.tzinfo)))}</time>: "
            f"{html.escape(update.note)}</li>"
            for update in sorted(release.updates, key=lambda u: u.date)
        )
        parts.append(f"<section><h2>Pembaruan</h2><ul>{notes}</ul></section>")
    return "\n".join(parts)


def tag_uri(base_url: str, specific: str) -> str:
    """RFC 4151 tag URI ``tag:<host>,2024:<specific>`` (the host lower-case, no port)."""
    host = urlsplit(base_url).hostname or ""
    return f"tag:{host},{TAG_DATE}:{specific}"


def release_guid(base_url: str, release: Release) -> str:
    """The permanent GUID / Atom id of a release: from its id only, never from its contents."""
    return tag_uri(base_url, release.id)


def _require_base_url(settings: Settings) -> str:
    base = settings.base_url
    scheme = urlsplit(base).scheme
    if not base or scheme not in ("http", "https") or not urlsplit(base).hostname:
        raise UsageError(
            "site_url di mkdocs.yml wajib diisi dengan alamat lengkap portal "
            "(mis. https://portal.go.id/): umpan RSS/Atom/JSON dan peta situs memerlukan "
            "alamat absolut."
        )
    return base


class _FeedBuilder:
    """Builds feed files; renders each release's entry data once even if it is in 5 feeds."""

    def __init__(
        self,
        portal: Portal,
        settings: Settings,
        base: str,
        contents: Mapping[str, str] | None = None,
    ) -> None:
        self.portal = portal
        self.settings = settings
        self.base = base
        self.contents = contents or {}
        self.limit = max(settings.feed_items, 0)
        self._items: dict[str, _Item] = {}

    def build(self, spec: FeedSpec, withdrawn: Sequence[Release]) -> dict[str, bytes]:
        chosen = spec.releases[: self.limit]
        items = [self._item(release) for release in chosen]
        zone = ZoneInfo(spec.timezone)
        last_changed = self._last_changed(spec, items, withdrawn)
        changed = (last_changed or EMPTY_FEED_DATE).astimezone(zone)
        newest = items[0].published.astimezone(zone) if items else None
        return {
            spec.feed.rss: self._xml(spec, items, changed, newest, "rss"),
            spec.feed.atom: self._xml(spec, items, changed, newest, "atom"),
            spec.feed.json: self._json(spec, items),
        }

    def _last_changed(
        self, spec: FeedSpec, items: Sequence[_Item], withdrawn: Sequence[Release]
    ) -> datetime | None:
        """Newest change of the channel: an item's publication/correction, or a withdrawal
        of a release that would otherwise be in this window (it left the feed)."""
        moments = [item.updated for item in items]
        full = len(items) >= self.limit > 0
        oldest = items[-1].published if items else None
        for release in withdrawn:
            if release.withdrawn is None or not spec.in_scope(release):
                continue
            if full and oldest is not None and release.date < oldest:
                continue  # it would have dropped out of the window anyway
            moments.append(release.withdrawn.date)
        return max(moments, default=None)

    def _item(self, release: Release) -> _Item:
        cached = self._items.get(release.id)
        if cached is not None:
            return cached
        region = self.portal.region(release.region_id)
        zone = region.tzinfo
        category = self.portal.categories.get(release.category)
        category_label = category.label if category is not None else release.category
        categories = [
            (region.id, region.name, self.base + urls.regions_index()),
            (release.category, category_label, self.base + urls.categories_index()),
            (release.type.value, release.type.label, self.base + "jenis/"),
            *((tag, tag, self.base + "topik/") for tag in release.tags),
        ]
        item = _Item(
            release=release,
            region=region,
            guid=release_guid(self.base, release),
            link=self.base + release.url,
            published=release.date.astimezone(zone),
            updated=release.updated.astimezone(zone),
            creator=release.author or region.office_name,
            content_html=(
                self.contents[release.id]
                if release.id in self.contents
                else item_content_html(release, region, self.base)
            ),
            categories=tuple(_unique_categories(categories)),
            image_url=self.base + release.image.url if release.image else None,
        )
        self._items[release.id] = item
        return item

    def _xml(
        self,
        spec: FeedSpec,
        items: Sequence[_Item],
        changed: datetime,
        newest: datetime | None,
        kind: str,
    ) -> bytes:
        feed = spec.feed
        self_url = self.base + (feed.rss if kind == "rss" else feed.atom)
        html_url = self.base + spec.html_url
        logo = self.base + LOGO_PATH
        title = self._title(spec)

        fg = FeedGenerator()
        if kind == "rss":
            fg.load_extension("dc", atom=False, rss=True)
        fg.id(tag_uri(self.base, f"feeds/{feed.key}"))
        fg.title(title)
        fg.description(spec.description)
        fg.language(LANGUAGE)
        fg.author({"name": spec.author})
        # feedgen uses the *last* link as RSS <channel><link>: the HTML page, not the feed.
        fg.link(href=self_url, rel="self", type=_MEDIA_TYPES[kind])
        fg.link(href=html_url, rel="alternate", type="text/html")
        fg.image(url=logo, title=title, link=html_url)
        fg.icon(logo)
        fg.generator("")  # no generator element: it would carry feedgen's version
        fg.updated(changed)  # RSS lastBuildDate and Atom updated; never "now"
        if newest is not None:
            fg.pubDate(newest)
        fg.ttl(TTL_MINUTES)

        if kind == "atom":
            fg.register_extension("portal_links", _NoFeedExtension, _AtomEntryLinks, True, False)

        for item in items:
            entry = fg.add_entry(order="append")
            entry.guid(item.guid, permalink=False)
            entry.title(item.release.title)
            entry.published(item.published)
            entry.updated(item.updated)
            entry.author({"name": item.creator})
            entry.summary(item.release.summary)
            entry.content(item.content_html, type="html")
            entry.category(
                [{"term": t, "label": label, "scheme": s} for t, label, s in item.categories]
            )
            image = item.release.image
            if kind == "rss":
                entry.link(href=item.link, rel="alternate")
                if image is not None and item.image_url is not None:
                    entry.enclosure(
                        url=item.image_url, length=str(image.size_bytes), type=image.mime_type
                    )
                entry.dc.dc_creator(item.creator)
            else:
                links = [{"rel": "alternate", "type": "text/html", "href": item.link}]
                if image is not None and item.image_url is not None:
                    links.append(
                        {
                            "rel": "enclosure",
                            "type": image.mime_type,
                            "length": str(image.size_bytes),
                            "href": item.image_url,
                        }
                    )
                entry.portal_links.links = links

        if kind == "atom":
            atom: bytes = fg.atom_str(pretty=True)
            return atom
        rss: bytes = fg.rss_str(pretty=True)
        # RSS Best Practices Profile: encode "&" and "<" in text as hexadecimal character
        # references. The two spellings are the same XML, so this is safe everywhere.
        return rss.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")

    def _json(self, spec: FeedSpec, items: Sequence[_Item]) -> bytes:
        """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
        document: dict[str, Any] = {
            "version": JSON_FEED_VERSION,
            "title": self._title(spec),
            "home_page_url": self.base + spec.html_url,
            "feed_url": self.base + spec.feed.json,
            "description": spec.description,
            "icon": self.base + LOGO_PATH,
            "language": LANGUAGE,
            "authors": [{"name": spec.author}],
            "items": [self._json_item(item) for item in items],
        }
        text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)
        return (text + "\n").encode("utf-8")

    def _json_item(self, item: _Item) -> dict[str, Any]:
        release = item.release
        entry: dict[str, Any] = {
            "id": item.guid,
            "url": item.link,
            "title": release.title,
            "summary": release.summary,
            "content_html": item.content_html,
            "date_published": item.published.isoformat(),
            "date_modified": item.updated.isoformat(),
            "authors": [{"name": item.creator}],
            "tags": [label for _term, label, _scheme in item.categories],
            "language": LANGUAGE,
        }
        if release.image is not None and item.image_url is not None:
            entry["image"] = item.image_url
            entry["attachments"] = [
                {
                    "url": item.image_url,
                    "mime_type": release.image.mime_type,
                    "title": release.image.alt,
                    "size_in_bytes": release.image.size_bytes,
                }
            ]
        return entry

    def _title(self, spec: FeedSpec) -> str:
        return f"{spec.feed.title} — {self.portal.site_name}"


_TAG_RE = re.compile(r"<[a-zA-Z][^>]*>")
_LOCAL_REF_RE = re.compile(r'(\s(?:href|src)=")([#?])')


def _absolute_fragments(body_html: str, page_url: str) -> str:
    """Make ``#part``/``?q`` links absolute against the release page.

    ``render_body`` resolves every relative path against the site, but keeps in-page links as
    they are, which is right on the page itself; in a feed there is no page to resolve them
    against (RSS has no base URI). Only real tags are touched: in sanitized HTML a ``<`` in
    text is always escaped, and a ``"`` inside an attribute value is too.
    """

    def fix(tag: re.Match[str]) -> str:
        return _LOCAL_REF_RE.sub(lambda m: m.group(1) + page_url + m.group(2), tag.group(0))

    return _TAG_RE.sub(fix, body_html)


class _NoFeedExtension:
    """Feed-level half of the ``portal_links`` feedgen extension: adds nothing."""

    def extend_ns(self) -> dict[str, str]:
        return {}

    def extend_atom(self, feed: Any) -> Any:
        return feed

    def extend_rss(self, feed: Any) -> Any:
        return feed


class _AtomEntryLinks(_NoFeedExtension):
    """Writes an Atom entry's ``<link>`` elements with all their attributes.

    feedgen 1.0.0's ``FeedEntry.atom_entry`` rebinds its loop variable to the new element
    before copying ``rel``/``type``/``length``, so every entry link comes out as a bare
    ``<link href>``: the enclosure turns into a second ``alternate`` link, which RFC 4287
    §4.1.1 forbids. The links are therefore written by this extension instead.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, feed: Any) -> Any:
        for attributes in self.links:
            xml_elem("link", feed, **attributes)
        return feed


def _unique_categories(
    categories: Iterable[tuple[str, str, str]],
) -> Iterable[tuple[str, str, str]]:
    seen: set[tuple[str, str]] = set()
    for term, label, scheme in categories:
        if (term, scheme) not in seen:
            seen.add((term, scheme))
            yield term, label, scheme


def build_opml(portal: Portal, base: str, specs: Sequence[FeedSpec]) -> bytes:
    """OPML 2.0 (http://opml.org/spec2.opml) of every RSS feed, grouped as on the RSS page."""
    groups: dict[str, list[FeedSpec]] = {}
    for spec in specs:  # insertion order = the documented group order
        groups.setdefault(spec.group, []).append(spec)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_attr(f'Semua umpan {portal.site_name}')}</title>",
        f"    <ownerName>{_attr(portal.site_name)}</ownerName>",
        "  </head>",
        "  <body>",
    ]
    for group, members in groups.items():
        lines.append(f'    <outline text="{_attr(group)}">')
        for spec in members:
            title = f"{spec.feed.title} — {portal.site_name}"
            lines.append(
                f'      <outline type="rss" text="{_attr(spec.feed.title)}" '
                f'title="{_attr(title)}" description="{_attr(spec.description)}" '
                f'language="{LANGUAGE}" version="RSS2" '
                f'xmlUrl="{_attr(base + spec.feed.rss)}" htmlUrl="{_attr(base + spec.html_url)}"/>'
            )
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


def _attr(text: str) -> str:
    return html.escape(text, quote=True)
