"""The ``portal`` MkDocs plugin: a thin adapter from MkDocs' build events to the pipeline.

Order of a build (``mkdocs build``):

1. ``on_config`` — settings from the plugin options; the portal theme overrides go first in
   the theme's search path; every source is loaded and validated. Any error aborts here with
   the same ``path:line:col: CODE message`` lines as ``portal check``, before MkDocs has
   written or even emptied anything. MkDocs is then pointed at a temporary output folder
   beside ``site/`` (:mod:`generator.writer`).
2. ``on_files`` — the tab pages and the search page are added as in-memory
   ``File.generated`` (nothing is ever written into ``content/``, ``regions/`` or ``docs/``);
   every other generated page (releases, regions, listings) is kept out of MkDocs' file list
   and written by the plugin itself (step 4). Release images are added as generated files
   read from ``content/``.
3. ``on_page_markdown``/``on_page_content`` — generated pages skip Markdown entirely;
   ``on_page_context`` renders the page's HTML just before it is written and
   ``on_post_page`` drops it again, so memory does not grow with the archive.
4. ``on_post_build`` — (issue 6) each detached page gets a cache key (its inputs, the theme,
   the configuration, the navigation, the generator code; :mod:`generator.cache`); unchanged
   pages are hard-linked from ``.cache/portal/``, the others are rendered on every core
   (:mod:`generator.render_pool`), each filled into a theme shell made once per group of
   pages and checked against MkDocs' own rendering (:mod:`generator.shell`). Then feeds
   (unchanged feed sets reused), sitemaps, robots.txt and the search index (reused when no
   HTML page changed). If no output changed at all, ``site/`` is left as it is; otherwise the
   finished folder is swapped in. Any failure (or a strict-mode warning) throws the temporary folder
   away and leaves the previous ``site/`` untouched.

Two shortcuts, both decided in ``on_config`` from the source snapshot (:mod:`generator.cache`):
when no source changed since ``site/`` was published, nothing is built and ``site/`` stays;
when only the bodies of some releases changed, the build is an *edit build* (:class:`_Edit`):
only their pages, the feeds and the search index are made, everything else is carried over
from ``site/``.

``mkdocs serve`` builds into MkDocs' own temporary folder, so no swap happens there, and it
reloads on changes in ``content/`` and ``regions/``.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import os
import shutil
import sysconfig
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.commands.build import _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from . import urls
from .cache import (
    BackgroundWrites,
    BuildCache,
    BuildState,
    SourceSnapshot,
    bulk_load,
    code_version,
    digest,
    files_digest,
    stable_text,
)
from .config import PortalPluginConfig, Settings, settings_from_plugin
from .diagnostics import PortalError, Severity
from .model import Image, Portal, Release
from .pages import TAB_PAGES, PageJob, PortalPages
from .pages_meta import LOGO_PATH
from .render_pool import Progress, run_tasks
from .search import INDEX_DIR, SearchRecord
from .shell import HEAD_VARIABLE, PageShells
from .writer import AtomicBuild, PreparedFolder, PublishedRecord, SiteWriter, folder_identity

if TYPE_CHECKING:  # the pipeline and feeds load only when a build needs them
    from .feeds import FeedCache
    from .pipeline import Revalidation, SourceModel, Validated

#: Records of the published ``site/`` and its spare, in the cache folder (generator.writer);
#: marshal, like the build state: read and written on every build.
PUBLISHED_RECORD = "published.marshal"

log = logging.getLogger("mkdocs.plugins.portal")

#: Material overrides shipped with the package: templates, partials, CSS and the logo.
THEME_DIR = Path(__file__).resolve().parent / "theme"
PORTAL_CSS = "assets/stylesheets/portal.css"
#: Files MkDocs writes that the portal replaces with its own (see generator.sitemap).
MKDOCS_SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
#: Docs pages in the "Tentang" tab, in this order; other docs pages follow alphabetically.
ABOUT_PAGES = ("tentang.md", "panduan-kontributor.md")


#: Fingerprint prefixes of outputs with a cache key: pages, feeds, images, search files.
_KEYED = frozenset({"p:", "f:", "i:", "s:"})

#: MkDocs settings that never show in a page (paths of this checkout, the server, this build's
#: temporary folder); everything else in the configuration is part of every page's cache key.
_CONFIG_KEYS_NOT_IN_PAGES = frozenset(
    {
        "config_file_path",
        "docs_dir",
        "site_dir",
        "dev_addr",
        "watch",
        "strict",
        "remote_branch",
        "remote_name",
        "validation",
    }
)


#: Settings that name where this build writes, not what it is made from.
_NOT_SOURCES = frozenset({"site_dir", "dev_addr"})


def _rendered_by_mkdocs(job: PageJob) -> bool:
    """Tab pages (part of the navigation) and the search page (the theme's ``cari.html``) go
    through MkDocs' own page loop; every other generated page is rendered by the portal."""
    return job.in_nav or job.kind == "search"


def _indexed(job: PageJob) -> bool:
    """Generated pages that can be in the search index: releases and each region's first
    page (whether one is, its HTML says: ``data-pagefind-body``)."""
    return job.kind == "release" or (job.kind == "region" and job.page == 1)


def _theme_dirs_outside_packages(config: MkDocsConfig) -> list[Path]:
    """Theme folders whose files are not covered by a package version in ``code_version``
    (a ``custom_dir``, overrides): every file in them (templates, partials, icons) counts."""
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    return [
        Path(folder)
        for folder in config.theme.dirs
        if not Path(folder).resolve().is_relative_to(installed)
        and not Path(folder).resolve().is_relative_to(THEME_DIR)
    ]


def _populate_generated_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    """MkDocs' ``_populate_page`` for a generated page, without converting its Markdown when
    the plugins left it empty (the portal's pages always do): an empty document converts to
    empty HTML with an empty table of contents, so only the Markdown set-up (about 5% of a
    cold build) is saved. Any other plugin that adds Markdown gets the full conversion."""
    if page.file.content_string:
        _populate_page(page, config, files)
        return
    config._current_page = page
    try:
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        assert page.markdown is not None
        page.markdown = config.plugins.on_page_markdown(
            page.markdown, page=page, config=config, files=files
        )
        if page.markdown.strip():
            page.render(config, files)
        else:
            page.content = ""
            page.toc = get_toc([])
            page._title_from_render = None
            page.present_anchor_ids = set()
            page.links_to_anchors = {}
        assert page.content is not None
        page.content = config.plugins.on_page_content(
            page.content, page=page, config=config, files=files
        )
    finally:
        config._current_page = None


def _skip_theme_file_listing(config: MkDocsConfig) -> None:
    """Have MkDocs list none of the theme's static files in this build.

    MkDocs lists every file of every theme folder (Material ships some 14,000 icons) and
    filters each name, about 0.16 s of every build. A build that keeps ``site/`` or carries
    MkDocs' own output over from it (an edit build) copies none of them, so the list is left
    empty: the environment MkDocs makes from the theme lists no templates. Templates are
    still loaded by name as usual."""
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> Environment:
        env = make_env()
        env.list_templates = _no_templates  # type: ignore[method-assign]
        return env

    theme.get_env = get_env  # type: ignore[method-assign]


def _no_templates(*_args: object, **_kwargs: object) -> list[str]:
    return []


def _tree_digest(folder: Path, exclude: tuple[str, ...] = ()) -> str:
    """Names and bytes of every file below ``folder`` (what MkDocs itself wrote there)."""
    parts = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if rel not in exclude and path.is_file():
            parts.append(f"{rel}={digest(path.read_bytes())}")
    return digest(*parts)


def _nav_text(items: Any) -> str:
    """Titles and URLs of the navigation as the theme shows them on every page."""
    parts = []
    for item in items:
        children = getattr(item, "children", None)
        url = getattr(item, "url", None)
        parts.append(f"{type(item).__name__}:{item.title!r}:{url!r}")
        if children:
            parts.append("[" + _nav_text(children) + "]")
    return "|".join(parts)


@dataclasses.dataclass(frozen=True)
class _Edit:
    """A build in which only the bodies of some releases changed since the published build
    (same configuration, theme, code, file names and embargo window; every changed file a
    valid release with the same outline). Their pages, the feeds that carry them and their
    search records are all that can change: MkDocs renders nothing, the other pages are
    neither planned nor keyed, and every other file of ``site/`` is carried over."""

    releases: frozenset[str]
    cache: BuildCache
    published: PublishedRecord
    #: The title of every docs page (by ``src_uri``) in the published build: an edit build
    #: shows docs pages only as titles in the navigation, so their Markdown is not converted.
    titles: dict[str, str]


class _StaleSearchCache(Exception):
    """A cache entry the index update needs is gone: the index is built anew instead."""


class _WarningCounter(logging.Handler):
    """Counts MkDocs warnings so that a strict build is never swapped in (MkDocs aborts later)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class PortalPlugin(BasePlugin[PortalPluginConfig]):
    supports_multiple_instances = False
    #: False sends every generated page through MkDocs' own (serial, uncached) page loop; the
    #: tests compare both ways byte for byte to prove the portal renders pages as MkDocs would.
    render_outside_mkdocs = True

    def __init__(self) -> None:
        self.command: str | None = None
        self.settings: Settings | None = None
        self.portal: Portal | None = None
        self.pages: PortalPages | None = None
        self.atomic: AtomicBuild | None = None
        self._jobs: dict[str, PageJob] = {}
        #: Generated pages outside the navigation: rendered (or reused) by the portal itself.
        self._detached: list[PageJob] = []
        self._files: Files | None = None
        self._nav: Navigation | None = None
        self._env: Environment | None = None
        self._warnings: _WarningCounter | None = None
        self._image_sources: list[tuple[Image, Path]] | None = None
        self._snapshot: SourceSnapshot | None = None
        self._sources_unchanged = False
        self._model: SourceModel | None = None
        #: Names the stored model when this build's model is that one (not written again).
        self._model_id: str | None = None
        #: What the next build compares with: the release cache's shard stats after this
        #: build's validation, and every valid release's identity (id, digest, outline).
        self._derived: dict[str, Any] = {}
        self._edit: _Edit | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    @event_priority(100)  # before other plugins see the configuration
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        # What is loaded here (the published records, every release, the model) lives until
        # the build ends: cyclic collection is paused while it loads (each collection would
        # walk it all again: at 10,000 releases a tenth of an edit build), then it is frozen
        # out of later collections. Undone by the next build (_reset).
        with bulk_load():
            try:
                return self._configure(config)
            finally:
                gc.freeze()

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        """on_config: settings, source snapshot, validation, the shortcut to take."""
        root = (
            Path(config.config_file_path).parent.resolve()
            if config.config_file_path
            else Path.cwd().resolve()
        )
        try:
            settings = settings_from_plugin(root, config.site_name, config.site_url, self.config)
        except PortalError as exc:
            raise PluginError(exc.format()) from None
        self.settings = settings
        # Scanned before the theme and navigation are set up: the configuration as loaded.
        snapshot = self._scan_sources(config, settings) if self.command != "serve" else None
        self._configure_theme(config)
        if config.nav is None:
            config.nav = self._navigation(Path(config.docs_dir))
        since = None
        published: Mapping[str, Any] = {}
        if snapshot is not None:
            record = SourceSnapshot.published(settings.root / settings.cache_dir)
            site_identity = folder_identity(Path(config.site_dir))
            build_time = settings.build_time.isoformat()
            if snapshot.unchanged_since(record, site_identity, build_time):
                # Nothing the site is made from changed since it was published: MkDocs is
                # left nothing to render, and on_post_build keeps site/ as it is.
                self._sources_unchanged = True
                config.nav = []
                _skip_theme_file_listing(config)
                self.atomic = AtomicBuild.begin(Path(config.site_dir))
                config.site_dir = str(self.atomic.temp_dir)
                return config
            changed = snapshot.changed_since(record, site_identity, build_time)
            if changed is not None:
                model = SourceSnapshot.published_model(settings.root / settings.cache_dir, record)
                from .pipeline import Revalidation

                derived = record.get("derived") or {}
                since = Revalidation.of(model, changed, snapshot.files, derived.get("shards"))
                if since is not None:
                    self._model_id = record.get("model_id")
                    published = derived
        self._snapshot = snapshot

        from . import pipeline

        validated = pipeline.validate_sources(
            settings, since=since, parallel=self.command != "serve"
        )
        diagnostics = validated.diagnostics
        for diagnostic in diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.info(diagnostic.format())
        if validated.portal is None:
            errors = [d.format() for d in diagnostics if d.severity is Severity.ERROR]
            raise PluginError(
                "\n".join([*errors, f"{len(errors)} kesalahan ditemukan; situs tidak dibangun."])
            )
        portal = validated.portal
        self.portal = portal
        self._model = validated.model
        self._derived = {"shards": validated.shards, "releases": validated.identities}
        self.pages = PortalPages(
            portal,
            settings,
            with_search_page=any((Path(d) / "cari.html").is_file() for d in config.theme.dirs),
        )
        if config.strict:
            self._warnings = _WarningCounter()
            logging.getLogger("mkdocs").addHandler(self._warnings)
        if self.command != "serve":
            self._edit = self._plan_edit(
                settings, Path(config.site_dir), since, validated, published
            )
            if self._edit is not None:
                _skip_theme_file_listing(config)
                self._derived["titles"] = self._edit.titles
            self.atomic = AtomicBuild.begin(Path(config.site_dir))
            config.site_dir = str(self.atomic.temp_dir)
        return config

    def _plan_edit(
        self,
        settings: Settings,
        site_dir: Path,
        since: Revalidation | None,
        validated: Validated,
        published_derived: Mapping[str, Any],
    ) -> _Edit | None:
        """An edit build when only the bodies of some releases changed (:class:`_Edit`)."""
        published_releases = published_derived.get("releases")
        if since is None or not since.changed or not isinstance(published_releases, dict):
            return None
        edited = set()
        for rel in since.changed:
            # Compared with the published build (the release cache may hold a later version,
            # e.g. from a build that failed): valid then and now, and nothing a page other
            # than its own shows of it is different (see Release.outline).
            before, after = published_releases.get(rel), validated.identities.get(rel)
            if before is None or after is None or not after[2] or before[2] != after[2]:
                return None
            if before != after:
                edited.add(after[0])
        cache_root = settings.root / settings.cache_dir
        published = PublishedRecord.load(cache_root / PUBLISHED_RECORD)
        cache = BuildCache(cache_root)
        previous = cache.previous
        if not published.site.matches(site_dir) or previous.site != published.site.identity:
            return None
        if not previous.pages or (
            settings.search and (not previous.search_docs or previous.search_code != code_version())
        ):
            return None
        log.info(
            f"Hanya isi {len(edited)} rilis yang berubah: halaman lain dipakai ulang dari site/"
        )
        titles = published_derived.get("titles")
        return _Edit(
            frozenset(edited), cache, published, titles if isinstance(titles, dict) else {}
        )

    def _scan_sources(self, config: MkDocsConfig, settings: Settings) -> SourceSnapshot:
        """Every input of the site but the time: the source folders' files (size, mtime,
        inode), the configuration as loaded, custom theme files and the generator's code."""
        loaded = {
            key: value for key, value in config.items() if key not in ("site_dir", "dev_addr")
        }
        return SourceSnapshot.scan(
            settings.root,
            (settings.content_dir, settings.regions_dir, str(config.docs_dir)),
            code_version(),
            stable_text(loaded),
            files_digest(_theme_dirs_outside_packages(config)),
        )

    def _record_sources(self, site_identity: list[int]) -> None:
        """After publishing: ``site/`` now shows these sources until the next embargo ends."""
        if self._snapshot is None or self.settings is None or self.portal is None:
            return
        upcoming = self.portal.next_publication
        self._snapshot.save(
            self.settings.root / self.settings.cache_dir,
            site_identity,
            self.settings.build_time.isoformat(),
            upcoming.astimezone(UTC).isoformat() if upcoming is not None else None,
            self._model,
            self._model_id,
            self._derived,
        )

    def _reset(self) -> None:
        """A plugin instance lives across `mkdocs serve` rebuilds: forget the last build."""
        gc.unfreeze()
        self._detach_counter()
        self._snapshot = None
        self._sources_unchanged = False
        self._model = None
        self._model_id = None
        self._derived = {}
        self._edit = None
        self.portal = None
        self.pages = None
        self.atomic = None
        self._jobs = {}
        self._detached = []
        self._files = None
        self._nav = None
        self._env = None
        self._image_sources = None

    def _configure_theme(self, config: MkDocsConfig) -> None:
        theme = config.theme
        theme_dir = str(THEME_DIR)
        if theme_dir not in theme.dirs:
            theme.dirs.insert(0, theme_dir)
        # Privacy: no Google Fonts (or any external host); the system font stack is used.
        theme["font"] = False
        theme["language"] = "id"
        if not theme.get("logo"):
            theme["logo"] = LOGO_PATH
        if theme.get("favicon") in (None, "", "assets/images/favicon.png"):
            theme["favicon"] = LOGO_PATH
        features = list(theme.get("features") or [])
        if "navigation.tabs" not in features:
            features.append("navigation.tabs")
        theme["features"] = features
        if PORTAL_CSS not in config.extra_css:
            config.extra_css.insert(0, PORTAL_CSS)

    @staticmethod
    def _navigation(docs_dir: Path) -> list[Any]:
        """Only the top-level tabs: generated tab pages, then the docs pages under "Tentang"."""
        nav: list[Any] = []
        for title, url in TAB_PAGES:
            src = f"{url}index.md"
            if url == urls.regions_index():
                nav.append(
                    {title: [{"Semua wilayah": src}, {"Kantor Humas": f"{urls.offices()}index.md"}]}
                )
            else:
                nav.append({title: src})
        docs = sorted(
            p.relative_to(docs_dir).as_posix()
            for p in docs_dir.rglob("*.md")
            if not p.is_symlink() and p.relative_to(docs_dir).as_posix() != "index.md"
        )
        ordered = [d for d in ABOUT_PAGES if d in docs] + [d for d in docs if d not in ABOUT_PAGES]
        if len(ordered) == 1:
            nav.append({"Tentang": ordered[0]})
        elif ordered:
            nav.append({"Tentang": ordered})
        return nav

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self._sources_unchanged:
            return Files([])
        assert self.pages is not None and self.portal is not None and self.settings is not None
        # One lookup table up front: Files.get_file_from_path rebuilds its index after every
        # append, which would make adding N pages cost O(N²).
        docs_files = {file.src_uri: file for file in files}
        jobs: tuple[PageJob, ...]
        if self._edit is None:
            jobs = self.pages.jobs
        else:
            jobs = tuple(self.pages.tab_jobs(sorted(self._edit.releases)))
            # A docs page at the URL of a generated page gave way to it in the full build
            # (below); the same file gives way again without planning every page.
            generated = self._edit.cache.previous.pages
            for src_uri in list(docs_files):
                if src_uri.endswith("index.md") and src_uri[: -len("index.md")] in generated:
                    log.info(f"{src_uri}: digantikan oleh halaman buatan portal")
                    files.remove(docs_files.pop(src_uri))
        for job in jobs:
            existing = docs_files.get(job.src_uri)
            if existing is not None:
                log.info(f"{job.src_uri}: digantikan oleh halaman buatan portal")
                files.remove(existing)
            self._jobs[job.src_uri] = job
            if _rendered_by_mkdocs(job) or not self.render_outside_mkdocs:
                inclusion = InclusionLevel.INCLUDED if job.in_nav else InclusionLevel.NOT_IN_NAV
                files.append(File.generated(config, job.src_uri, content="", inclusion=inclusion))
            else:
                # Rendered by the portal itself in on_post_build: cached, on every core.
                self._detached.append(job)
        self._add_images(files, config)
        self._files = files
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        assert self.settings is not None
        # Compiled templates are kept between builds (Jinja checks each against its source):
        # compiling the theme is a fixed cost of every build, however little changed.
        folder = self.settings.root / self.settings.cache_dir / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
        self._env = env
        if self._edit is None:
            # For the edit builds that follow (see _Edit.titles).
            self._derived["titles"] = {
                file.src_uri: file.page.title
                for file in files.documentation_pages()
                if file.generated_by is None
                and file.page is not None
                and isinstance(file.page.title, str)
            }
        else:
            # MkDocs' own output (tab pages, theme assets) depends only on what an edit build
            # proved unchanged: it is carried over from site/ instead of being made again.
            # The edited pages are still rendered with every file and the navigation.
            self._files = Files(list(files))
            for file in list(files):
                files.remove(file)
        return env

    def _images(self) -> list[tuple[Image, Path]]:
        """Every release image once, with its source file (``/<region>/<YYYY>/<file>``)."""
        if self._image_sources is None:
            self._image_sources = self._find_images()
        return self._image_sources

    def _find_images(self) -> list[tuple[Image, Path]]:
        assert self.portal is not None and self.settings is not None
        content_root = (self.settings.root / self.settings.content_dir).resolve()
        found: dict[str, tuple[Image, Path]] = {}
        for release in self.portal.releases:
            image = release.image
            if image is None or image.url in found:
                continue
            source = self.settings.root / image.source_path
            # Validation already refused symlinks; checked again because this copies bytes.
            if source.is_symlink() or not source.resolve().is_relative_to(content_root):
                raise PluginError(f"{image.source_path}: gambar di luar content/ ditolak")
            found[image.url] = (image, source)
        return [found[url] for url in sorted(found)]

    def _add_images(self, files: Files, config: MkDocsConfig) -> None:
        """Release images keep their path below ``content/``. In a real build they are
        published from the cache by ``on_post_build`` (so an unchanged image costs nothing);
        ``mkdocs serve`` lets MkDocs copy them."""
        if self.atomic is not None:
            return
        for image, source in self._images():
            files.append(
                File.generated(
                    config,
                    image.url,
                    abs_src_path=str(source),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )

    def _image_digests(self, state: BuildState) -> dict[str, str]:
        """sha256 of every published image, recorded in ``state`` (kept in the cache even
        when nothing changed and no image is placed)."""
        for image, source in self._images():
            sha256 = image.sha256 or hashlib.sha256(source.read_bytes()).hexdigest()
            state.files[image.url] = sha256
        return state.files

    def _place_images(self, writer: SiteWriter, cache: BuildCache, state: BuildState) -> None:
        sources = dict((image.url, source) for image, source in self._images())
        for url, sha256 in sorted(state.files.items()):
            writer.place(url, cache.keep_copy(sources[url], sha256))

    # --- pages ----------------------------------------------------------------------------

    def _job(self, page: Page) -> PageJob | None:
        job = self._jobs.get(page.file.src_uri)
        return job if job is not None and page.file.generated_by is not None else None

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        job = self._job(page)
        if job is None:
            title = self._edit.titles.get(page.file.src_uri) if self._edit is not None else None
            if title is None:
                return markdown
            page.meta["title"] = title  # the published build's title of this unchanged page
            return ""
        page.meta["title"] = job.title
        page.meta["hide"] = ["toc"]
        if job.kind == "search":
            page.meta["template"] = "cari.html"
        return ""

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Generated pages are rendered in on_page_context, right before they are written.
        return "" if self._job(page) is not None else html

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        assert self.pages is not None
        extra = cast(dict[str, Any], context)  # the portal's own template variables
        job = self._job(page)
        if job is not None:
            extra[HEAD_VARIABLE] = self._page_parts(page)
            extra["portal_page"] = job.kind
        else:
            description = str(page.meta.get("description") or config.site_description or "")
            extra["portal_head"] = self.pages.head_for_other_page(
                page.url, page.title or config.site_name, description
            )
        return context

    def _page_parts(self, page: Page) -> str:
        """Render a generated page's HTML into ``page.content``; return its head HTML."""
        assert self.pages is not None
        job = self._job(page)
        assert job is not None
        rendered = self.pages.render(job)
        page.content = rendered.body_html
        return rendered.head_html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._job(page) is not None:
            page.content = None  # written; free the HTML (one page in memory at a time)
        return output

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        if template_name == "404.html" and self.pages is not None:
            cast(dict[str, Any], context)["portal_head"] = self.pages.head_for_other_page(
                "404.html", "Halaman tidak ditemukan", config.site_description or "", False
            )
        return context

    # --- output ---------------------------------------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._sources_unchanged and self.atomic is not None:
            log.info(
                "Tidak ada sumber yang berubah sejak build terakhir; site/ dibiarkan apa adanya"
            )
            self.atomic.abort()
            config.site_dir = str(self.atomic.site_dir)
            self.atomic = None
            self._detach_counter()
            return
        if self._edit is not None and self.atomic is not None:
            self._publish_edit(config, self._edit, self.atomic)
            return
        assert self.portal is not None and self.settings is not None and self.pages is not None
        from . import feeds
        from .sitemap import build_sitemaps

        site_dir = Path(config.site_dir)
        # In a real build, outputs reused from the cache are only named (see generator.writer);
        # `mkdocs serve` writes its own folder in place, so they are linked there at once.
        writer = SiteWriter(site_dir, defer=self.atomic is not None)
        cache_root = self.settings.root / self.settings.cache_dir
        # `mkdocs serve` builds for its own address (another site_url): a cache of its own,
        # so that previewing never evicts the published build's entries.
        cache = BuildCache(cache_root / "serve" if self.command == "serve" else cache_root)
        state = BuildState()
        try:
            feed_cache = feeds.FeedCache(cache, state)
            page_keys = self._page_keys(config, state)
            feed_items = feeds.contents_needed(self.portal, self.settings, feed_cache)
            page_urls = [*self.pages.page_urls(), *self._other_page_urls(config)]
            sitemap_files = build_sitemaps(self.portal, self.settings, page_urls)
            state.outputs = digest(
                code_version(),
                repr(sorted(state.pages.items())),
                repr(sorted(state.feeds.items())),
                repr(sorted(self._image_digests(state).items())),
                _tree_digest(site_dir, exclude=MKDOCS_SITEMAPS),
                repr(sorted((path, digest(data)) for path, data in sitemap_files.items())),
                f"search={self.settings.search}",
            )
            if self._unchanged(cache, state):
                self._keep_previous_site(config, cache, state)
                return
            if self.atomic is not None:
                self._place_images(writer, cache, state)
            self._pages_and_feeds(config, writer, cache, page_keys, feed_cache, feed_items)
            for name in MKDOCS_SITEMAPS:
                writer.remove(name)
            writer.write_all(sitemap_files)
            if self._strict_warnings():
                return  # strict mode: MkDocs aborts next; on_build_error discards the folder
            if self.settings.search:
                self._search_index(site_dir, writer, cache, state)
            if self.atomic is None:
                cache.commit(state)
                return
            record = PublishedRecord.load(cache.root / PUBLISHED_RECORD)
            prepared = self._prepare(
                self.atomic, cache, writer.deferred, self._known_fingerprints(state), record
            )
        except PortalError as exc:
            raise PluginError(exc.format()) from None
        self._publish(config, self.atomic, cache, state, prepared, record)

    def _pages_and_feeds(
        self,
        config: MkDocsConfig,
        writer: SiteWriter,
        cache: BuildCache,
        page_keys: list[tuple[PageJob, str]],
        feed_cache: FeedCache,
        feed_items: list[Release],
        known_contents: Mapping[str, str] | None = None,
    ) -> None:
        """The detached pages (reused or rendered) and every feed file, built from the item
        contents the page workers rendered (and ``known_contents``, by release id)."""
        from .feeds import build_feeds

        assert self.portal is not None and self.settings is not None
        contents = self._write_detached_pages(config, writer, cache, page_keys, feed_items)
        contents.update(known_contents or {})
        feed_files = build_feeds(
            self.portal, self.settings, feed_cache, contents, parallel=self.command != "serve"
        )
        del contents  # free the item contents before the next stage
        writer.write_all(feed_files)

    @staticmethod
    def _prepare(
        atomic: AtomicBuild,
        cache: BuildCache,
        reused: Mapping[str, str | Path],
        known: Mapping[str, str],
        record: PublishedRecord,
    ) -> PreparedFolder:
        """The complete folder of this build (:meth:`AtomicBuild.prepare`)."""
        published_path = cache.root / PUBLISHED_RECORD
        prepared = atomic.prepare(
            reused, known, record, lambda: PublishedRecord.mark_spare_changing(published_path)
        )
        if prepared.from_spare:
            log.info(
                f"Folder cadangan diperbarui: {prepared.replaced} berkas diganti, "
                f"{prepared.removed} dihapus"
            )
        return prepared

    def _publish(
        self,
        config: MkDocsConfig,
        atomic: AtomicBuild,
        cache: BuildCache,
        state: BuildState,
        prepared: PreparedFolder,
        record: PublishedRecord,
    ) -> None:
        """Swap the prepared folder in as ``site/`` and record what it holds (unless strict
        mode saw a warning: MkDocs then aborts and on_build_error discards the folder)."""
        if self._strict_warnings():
            return
        self._detach_counter()
        record = atomic.swap(prepared.folder, prepared.record, record)
        record.save(cache.root / PUBLISHED_RECORD)
        config.site_dir = str(atomic.site_dir)
        state.site = record.site.identity
        self.atomic = None
        cache.commit(state)
        self._record_sources(state.site)

    def _publish_edit(self, config: MkDocsConfig, edit: _Edit, atomic: AtomicBuild) -> None:
        """on_post_build of an edit build (:class:`_Edit`): the edited pages, the feeds and
        the search index are made as in a full build; every other file of the new folder is
        the published one."""
        assert self.portal is not None and self.settings is not None and self.pages is not None
        from . import feeds

        staging = Path(config.site_dir)
        cache, published = edit.cache, edit.published
        previous = cache.previous
        if not edit.releases:  # files touched, bytes as published: no output can change
            self._keep_previous_site(config, cache, dataclasses.replace(previous))
            return
        writer = SiteWriter(staging, defer=True)
        state = BuildState(pages=dict(previous.pages), files=dict(previous.files))
        try:
            # MkDocs' own output (its 404 page and sitemap, any template of the theme) was made
            # with an empty file list; the published one is what it makes from the full list.
            for entry in staging.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            feed_cache = feeds.FeedCache(cache, state, edited=edit.releases)
            page_keys = self._page_keys(config, state)  # the edited releases' pages only
            feed_items = feeds.contents_needed(self.portal, self.settings, feed_cache)
            # The other items of the feed sets made again are as the last build wrote them.
            known = feeds.previous_contents(
                self.portal,
                self.settings,
                feed_cache,
                [release for release in feed_items if release.id not in edit.releases],
            )
            feed_items = [release for release in feed_items if release.id not in known]
            self._pages_and_feeds(config, writer, cache, page_keys, feed_cache, feed_items, known)
            if self._strict_warnings():
                return
            if self.settings.search:
                self._search_index(
                    staging, writer, cache, state, self._edit_candidates(cache, state, atomic)
                )
            known = self._known_fingerprints(state)
            reused = self._carried_over(published, known, writer, cache, state, atomic)
            prepared = self._prepare(atomic, cache, reused, known, published)
        except PortalError as exc:
            raise PluginError(exc.format()) from None
        self._publish(config, atomic, cache, state, prepared, published)

    @staticmethod
    def _carried_over(
        published: PublishedRecord,
        known: dict[str, str],
        writer: SiteWriter,
        cache: BuildCache,
        state: BuildState,
        atomic: AtomicBuild,
    ) -> dict[str, str | Path]:
        """Where every output of an edit build not made in it comes from: ``site/`` when the
        published file is this build's (same fingerprint, or MkDocs' own output, which has
        none), else its cache entry. ``known`` gains the fingerprints of MkDocs' files."""
        reused: dict[str, str | Path] = dict(writer.deferred)
        made = set(writer.written)
        for directory, _folders, names in os.walk(atomic.temp_dir):
            rel_dir = Path(directory).relative_to(atomic.temp_dir).as_posix()
            made.update(name if rel_dir == "." else f"{rel_dir}/{name}" for name in names)
        site = str(atomic.site_dir)
        for rel, fingerprint in published.site.files.items():
            if rel in made:
                continue
            expected = known.get(rel)
            if expected is None:
                if fingerprint[:2] in _KEYED:
                    continue  # an output with a key that this build no longer has
                known[rel] = fingerprint
            elif expected != fingerprint:
                continue
            reused[rel] = f"{site}/{rel}"
        for url, key in state.pages.items():
            rel = f"{url}index.html"
            if rel not in reused and rel not in made:
                reused[rel] = cache.page_entry(key)
        for rel, sha256 in state.files.items():
            if rel not in reused:
                reused[rel] = cache.file_path(sha256)
        return reused

    def _edit_candidates(
        self, cache: BuildCache, state: BuildState, atomic: AtomicBuild
    ) -> dict[str, tuple[str, str | Path]]:
        """The search candidates of an edit build: those of the previous build, with the new
        keys of the edited pages; other pages are read (if ever) from ``site/``."""
        candidates: dict[str, tuple[str, str | Path]] = {}
        site = str(atomic.site_dir)
        for url, (key, _year) in cache.previous.search_docs.items():
            page_key = state.pages.get(url)
            if page_key is not None:
                candidates[url] = (page_key, cache.page_entry(page_key))
            else:
                candidates[url] = (key, f"{site}/{url}index.html")
        return candidates

    def _strict_warnings(self) -> bool:
        return self._warnings is not None and self._warnings.count > 0

    @staticmethod
    def _known_fingerprints(state: BuildState) -> dict[str, str]:
        """Fingerprints of the outputs that have a cache key: generated pages, feeds, images."""
        known = {f"{url}index.html": "p:" + key for url, key in state.pages.items()}
        known.update({path: "f:" + key for path, key in state.feeds.items()})
        known.update({path: "i:" + sha256 for path, sha256 in state.files.items()})
        known.update(
            {f"{INDEX_DIR}/{path}": "s:" + sha256 for path, sha256 in state.search_files.items()}
        )
        return known

    def _unchanged(self, cache: BuildCache, state: BuildState) -> bool:
        """True when every output would be byte-identical to the published ``site/``: the
        previous build had the same keys for every output, and ``site/`` is still the folder
        that build published (same inode and modification time)."""
        previous = cache.previous
        if self.atomic is None or (self._warnings is not None and self._warnings.count):
            return False
        if not previous.outputs or previous.outputs != state.outputs:
            return False
        if self.settings is not None and self.settings.search and not previous.search:
            return False
        return bool(previous.site) and previous.site == folder_identity(self.atomic.site_dir)

    def _keep_previous_site(
        self, config: MkDocsConfig, cache: BuildCache, state: BuildState
    ) -> None:
        """Nothing changed: throw the temporary folder away and leave ``site/`` as it is."""
        assert self.atomic is not None
        log.info(
            f"Tidak ada keluaran yang berubah ({len(state.pages)} halaman dari cache); "
            "site/ dibiarkan apa adanya"
        )
        self.atomic.abort()
        config.site_dir = str(self.atomic.site_dir)
        self.atomic = None
        self._detach_counter()
        state.search = cache.previous.search
        state.search_docs = cache.previous.search_docs
        state.search_files = cache.previous.search_files
        state.search_code = cache.previous.search_code
        state.site = cache.previous.site
        cache.commit(state)
        self._record_sources(state.site)

    # --- detached pages: cached, parallel -------------------------------------------------

    def _shell_digest(self, config: MkDocsConfig) -> str:
        """Everything every generated page shares: theme templates and options, the MkDocs
        configuration, the navigation (titles and URLs of the tabs) and the generator code."""
        assert self._nav is not None
        settings = {
            key: value for key, value in config.items() if key not in _CONFIG_KEYS_NOT_IN_PAGES
        }
        # The portal's own options reach a page only through the model and the settings,
        # which are in each page's input digest; leaving them out here means that, e.g.,
        # a new ``feed_items`` rebuilds the feeds but not every page.
        settings["plugins"] = {
            name: plugin for name, plugin in config.plugins.items() if plugin is not self
        }
        return digest(
            code_version(),
            stable_text(settings),
            files_digest(_theme_dirs_outside_packages(config)),
            _nav_text(self._nav.items),
        )

    def _page_keys(self, config: MkDocsConfig, state: BuildState) -> list[tuple[PageJob, str]]:
        """The cache key of every generated page outside the navigation (recorded in state)."""
        assert self.pages is not None
        shell = self._shell_digest(config)
        keys = []
        for job in self._detached:
            key = digest(shell, self.pages.input_digest(job))
            state.pages[job.url] = key
            keys.append((job, key))
        return keys

    def _write_detached_pages(
        self,
        config: MkDocsConfig,
        writer: SiteWriter,
        cache: BuildCache,
        page_keys: list[tuple[PageJob, str]],
        items: list[Release],
    ) -> dict[str, str]:
        """Write every generated page outside the navigation: reused from the cache when its
        key is unchanged, else rendered through the theme exactly as MkDocs would. The same
        workers render the feed items' contents the feeds stage will need; returned by id."""
        assert self.pages is not None and self.portal is not None and self.settings is not None
        from .feeds import item_content_html

        todo: list[tuple[PageJob, str]] = []
        progress = Progress("Halaman dari cache", len(page_keys))
        for job, key in page_keys:
            entry = cache.page_entry(key)
            if not os.path.isfile(entry):
                todo.append((job, key))
            else:
                writer.place(f"{job.url}index.html", entry)
            progress.advance(1)
        progress.close()
        reused = len(page_keys) - len(todo)
        log.info(f"Halaman: {reused} dipakai ulang dari cache, {len(todo)} dirender")
        assert self._files is not None and self._nav is not None and self._env is not None
        files = self._files
        regions, base = self.portal.regions, self.settings.base_url
        shells = PageShells(
            config,
            files.documentation_pages(),
            self._nav,
            self._env,
            self._page_parts,
            enabled=self._only_page_context_hook(config),
        )
        # A release's feed item is made right after its page, by the same worker: the body's
        # Markdown is then converted once for both (generator.markup caches the last bodies).
        wanted = {release.id: release for release in items}
        paired = [
            wanted.pop(job.key) if job.kind == "release" and job.key in wanted else None
            for job, _key in todo
        ]
        alone = list(wanted.values())

        def render(index: int) -> str | None:
            try:
                return render_one(index)
            except PortalError:
                raise
            except Exception as exc:
                # The checks should have refused what cannot be rendered; if one got past
                # them, say which file, as every other problem is said (no traceback).
                if index >= len(todo):
                    source = alone[index - len(todo)].source_path
                else:
                    source = self._source_of(todo[index][0])
                raise PortalError(
                    f"{source}:1:1: REL099 halaman ini tidak dapat dibuat "
                    f"({type(exc).__name__}: {str(exc)[:200]}); laporkan ke tim pusat "
                    "beserta berkasnya"
                ) from None

        def render_one(index: int) -> str | None:
            if index >= len(todo):
                release = alone[index - len(todo)]
                return item_content_html(release, regions[release.region_id], base)
            job, key = todo[index]
            page = Page(
                None,
                File.generated(
                    config, job.src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV
                ),
                config,
            )
            _populate_generated_page(page, config, files)
            shells.build_page(page, job.kind)
            cache.keep(Path(page.file.abs_dest_path), cache.page_path(key))
            item = paired[index]
            if item is None:
                return None
            return item_content_html(item, regions[item.region_id], base)

        results, worker_warnings = run_tasks(
            len(todo) + len(alone),
            render,
            label="Merender halaman",
            parallel=self.command != "serve",
        )
        if worker_warnings:
            # Re-reported here so that MkDocs' own strict-mode counter sees them too.
            log.warning(f"{worker_warnings} peringatan saat merender halaman (lihat di atas)")
        contents: dict[str, str] = {}
        for release, content in zip([*paired, *alone], results, strict=True):
            if release is not None:
                assert content is not None
                contents[release.id] = content
        return contents

    def _only_page_context_hook(self, config: MkDocsConfig) -> bool:
        """Whether the portal is the only plugin handling ``on_page_context``: only then can
        generated pages share theme shells (another plugin could change each page's context)."""
        handlers = config.plugins.events.get("page_context", [])
        return all(getattr(handler, "__self__", None) is self for handler in handlers)

    def _source_of(self, job: PageJob) -> str:
        """The source file a generated page is made from (its URL for listing pages)."""
        assert self.portal is not None
        if job.kind == "release":
            release = next((r for r in self.portal.releases if r.id == job.key), None)
            if release is not None:
                return release.source_path
        return job.url or "index.html"

    def _search_index(
        self,
        site_dir: Path,
        writer: SiteWriter,
        cache: BuildCache,
        state: BuildState,
        candidates: dict[str, tuple[str, str | Path]] | None = None,
    ) -> None:
        """Update the search index with the indexed pages that changed since the previous
        build, and place every index file (:mod:`generator.search`)."""
        assert self.settings is not None
        from .search import (
            INDEX_DIR,
            SearchIndexError,
            iter_batches,
            stamped_meta,
            update_index,
        )

        previous = cache.previous
        if candidates is None:
            candidates = self._search_candidates(site_dir, cache, state)
        docs: dict[str, list[Any]] = {}
        todo: list[tuple[str, str, str | Path]] = []
        for url in sorted(candidates):
            key, source = candidates[url]
            known = previous.search_docs.get(url)
            if known is not None and known[0] == key:
                docs[url] = known
            else:
                docs[url] = [key, -1]  # (its partition is known once its record is read)
                todo.append((url, key, source))

        def record_year(index: int) -> int:
            url, key, source = todo[index]
            record = self._search_record(cache, url, key, source)
            return -1 if record is None else record.year

        years, _ = run_tasks(
            len(todo),
            record_year,
            label="Indeks pencarian",
            parallel=self.command != "serve",
        )
        for (url, key, _source), year in zip(todo, years, strict=True):
            docs[url] = [key, year]
        fresh = previous.search_code != code_version() or bool(
            previous.search_docs and not previous.search_files
        )
        files: dict[str, str] = {}
        metas: list[bytes] = []  # meta.json as the update wrote it, before its stamp

        writes: BackgroundWrites | None = None  # an update writes a few hundred files itself

        def write(path: str, data: bytes | None) -> None:
            if data is None:
                files.pop(path, None)
            elif path == "meta.json":
                metas.append(data)
            else:
                files[path] = cache.keep_search_file(data, writes)

        with BackgroundWrites() as background:  # every file is in the cache once this is left
            if not fresh:
                files.update(previous.search_files)
                try:
                    self._apply_search_changes(cache, previous.search_docs, docs, write)
                except _StaleSearchCache:
                    fresh = True
            if fresh:  # a build from nothing: every indexed page is added, one year at a time
                files.clear()
                metas.clear()
                writes = background  # tens of thousands of files: written beside the update
                update_index(
                    lambda path: None,
                    iter_batches(
                        (entry[1] for entry in docs.values() if entry[1] >= 0),
                        lambda year: (),
                        lambda year: self._records_made_in(cache, docs, candidates, year),
                    ),
                    write,
                )
        if metas:
            files["meta.json"] = cache.keep_search_file(stamped_meta(metas[-1], files))
        if "meta.json" not in files and any(entry[1] >= 0 for entry in docs.values()):
            raise SearchIndexError("indeks pencarian tidak lengkap (meta.json tidak ada)")
        state.search_docs = docs
        state.search_files = files
        state.search_code = code_version()
        state.search = digest(code_version(), *(f"{url}={entry[0]}" for url, entry in docs.items()))
        before = previous.search_files
        updated = 0
        for path, sha256 in state.search_files.items():
            changed = before.get(path) != sha256
            updated += changed
            if changed or self._edit is None:  # an edit build carries the others over
                writer.place(f"{INDEX_DIR}/{path}", cache.search_file_entry(sha256))
        updated += sum(1 for path in before if path not in files)
        indexed = sum(1 for entry in docs.values() if entry[1] >= 0)
        log.info(
            f"Indeks pencarian: {indexed} halaman, {len(todo)} dibaca ulang, "
            f"{updated} berkas diperbarui"
        )

    def _search_candidates(
        self, site_dir: Path, cache: BuildCache, state: BuildState
    ) -> dict[str, tuple[str, str | Path]]:
        """Pages that can be in the index: URL → (record key, where its HTML is). Release
        pages and the first page of each region have a page key; the few pages MkDocs renders
        itself (tabs, docs, the offices page) are read now and keyed by their bytes."""
        candidates: dict[str, tuple[str, str | Path]] = {}
        for job in self._detached:
            if _indexed(job):
                key = state.pages[job.url]
                candidates[job.url] = (key, cache.page_entry(key))
        for path in sorted(site_dir.rglob("*.html")):
            rel = path.relative_to(site_dir).as_posix()
            url = rel.removesuffix("index.html")
            if url in state.pages or path.is_symlink():
                continue
            data = path.read_bytes()
            if b"data-pagefind-body" in data:
                candidates[url] = (digest("mkdocs-page", url, data), path)
        return candidates

    @staticmethod
    def _search_record(
        cache: BuildCache, url: str, key: str, source: str | Path
    ) -> SearchRecord | None:
        """The record of one page, from the cache or made from its HTML (and then cached)."""
        from .search import SearchRecord, record_from_html

        entry = cache.record_path(key)
        try:
            text = entry.read_text(encoding="utf-8")
        except OSError:
            record = record_from_html(url, Path(source).read_bytes())
            text = "null" if record is None else record.to_json()
            cache.write_entry(entry, text.encode("utf-8"))
            return record
        return None if text == "null" else SearchRecord.from_json(text)

    def _records_in(
        self, cache: BuildCache, docs: Mapping[str, list[Any]], year: int
    ) -> Iterator[SearchRecord]:
        """The records of one partition, loaded one at a time (read once by the update)."""
        for key, doc_year in docs.values():
            if doc_year == year:
                record = self._load_record(cache, key)
                if record is not None:
                    yield record

    def _records_made_in(
        self,
        cache: BuildCache,
        docs: Mapping[str, list[Any]],
        candidates: Mapping[str, tuple[str, str | Path]],
        year: int,
    ) -> Iterator[SearchRecord]:
        """:meth:`_records_in` for a build from nothing: a record missing from the cache is
        made again from its page (the build from nothing is the way out of a damaged cache)."""
        for url, (key, doc_year) in docs.items():
            if doc_year == year:
                record = self._search_record(cache, url, key, candidates[url][1])
                if record is not None:
                    yield record

    @staticmethod
    def _load_record(cache: BuildCache, key: str) -> SearchRecord | None:
        from .search import SearchRecord

        try:
            text = cache.record_path(key).read_text(encoding="utf-8")
        except OSError:
            raise _StaleSearchCache(key) from None
        return None if text == "null" else SearchRecord.from_json(text)

    def _apply_search_changes(
        self,
        cache: BuildCache,
        before: dict[str, list[Any]],
        after: dict[str, list[Any]],
        write: Callable[[str, bytes | None], None],
    ) -> None:
        """Hand ``write`` the index files that change from the previous index to this
        build's, from the records of the pages that changed only (loaded one partition at a
        time). Raises :class:`_StaleSearchCache` when an entry it needs is gone (the caller
        then builds the index anew)."""
        from .search import update_index

        files = cache.previous.search_files
        removed: dict[int, dict[str, list[Any]]] = {}
        added: dict[int, dict[str, list[Any]]] = {}
        changed = [url for url, entry in after.items() if before.get(url, (None,))[0] != entry[0]]
        changed += [url for url in before if url not in after]
        for url in sorted(changed):
            old, new = before.get(url), after.get(url)
            if old is not None and old[1] >= 0:
                removed.setdefault(old[1], {})[url] = old
            if new is not None and new[1] >= 0:
                added.setdefault(new[1], {})[url] = new
        if not removed and not added:
            return

        def read(path: str) -> bytes | None:
            sha256 = files.get(path)
            if sha256 is None:
                return None
            try:
                return cache.search_file_path(sha256).read_bytes()
            except OSError:
                raise _StaleSearchCache(path) from None

        update_index(
            read,
            (
                (
                    year,
                    self._records_in(cache, removed.get(year, {}), year),
                    self._records_in(cache, added.get(year, {}), year),
                )
                for year in sorted(set(removed) | set(added), key=lambda y: (y != 0, -y))
            ),
            write,
        )

    def _other_page_urls(self, config: MkDocsConfig) -> list[str]:
        """URLs of the docs pages (Tentang, Panduan) for the sitemap."""
        docs_dir = Path(config.docs_dir)
        found = []
        for path in sorted(docs_dir.rglob("*.md")):
            rel = path.relative_to(docs_dir).as_posix()
            if rel == "index.md" or path.is_symlink():
                continue
            stem = rel.removesuffix(".md")
            found.append(stem.removesuffix("index").rstrip("/") + "/" if stem else "")
        return found

    def on_build_error(self, *, error: Exception) -> None:
        self._detach_counter()
        if self.atomic is not None:
            self.atomic.abort()
            self.atomic = None

    def on_shutdown(self) -> None:
        # Interrupted (Ctrl-C is not an Exception, so on_build_error did not run).
        self.on_build_error(error=RuntimeError("shutdown"))
        # MkDocs keeps plugins that have on_startup alive for the whole process; a later
        # in-process build must not still believe it is serving.
        self.command = None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.settings is None:  # the first build failed validation; nothing to watch yet
            return server
        for folder in (self.settings.content_dir, self.settings.regions_dir):
            path = self.settings.root / folder
            if path.is_dir():
                server.watch(os.fspath(path))
        return server

    def _detach_counter(self) -> None:
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            self._warnings = None
