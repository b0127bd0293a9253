"""The ``portal`` MkDocs plugin: a thin adapter from MkDocs' build events to the pipeline.

Order of a build (``mkdocs build``):

1. ``on_config`` — settings from the plugin options; the portal theme overrides go first in
   the theme's search path; every source is loaded and validated. Any error aborts here with
   the same ``path:line:col: CODE message`` lines as ``portal check``, before MkDocs has
   written or even emptied anything. MkDocs is then pointed at a temporary output folder
   beside ``site/`` (:mod:`generator.writer`).
2. ``on_files`` — every generated page is added as an in-memory ``File.generated`` (nothing
   is ever written into ``content/``, ``regions/`` or ``docs/``); release images are added as
   generated files read from ``content/``.
3. ``on_page_markdown``/``on_page_content`` — generated pages skip Markdown entirely;
   ``on_page_context`` renders the page's HTML just before MkDocs writes it and
   ``on_post_page`` drops it again, so memory does not grow with the archive.
4. ``on_post_build`` — feeds, sitemaps and robots.txt, then the search index; then the
   finished folder is swapped in for ``site/``. Any failure (or a strict-mode warning) throws
   the temporary folder away and leaves the previous ``site/`` untouched.

``mkdocs serve`` builds into MkDocs' own temporary folder, so no swap happens there, and it
reloads on changes in ``content/`` and ``regions/``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from . import urls
from .config import PortalPluginConfig, Settings, settings_from_plugin
from .diagnostics import PortalError, Severity
from .model import Portal
from .pages import TAB_PAGES, PageJob, PortalPages
from .pages_meta import LOGO_PATH
from .writer import AtomicBuild, SiteWriter

log = logging.getLogger("mkdocs.plugins.portal")

#: Material overrides shipped with the package: templates, partials, CSS and the logo.
THEME_DIR = Path(__file__).resolve().parent / "theme"
PORTAL_CSS = "assets/stylesheets/portal.css"
#: Files MkDocs writes that the portal replaces with its own (see generator.sitemap).
MKDOCS_SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
#: Docs pages in the "Tentang" tab, in this order; other docs pages follow alphabetically.
ABOUT_PAGES = ("tentang.md", "panduan-kontributor.md")


class _WarningCounter(logging.Handler):
    """Counts MkDocs warnings so that a strict build is never swapped in (MkDocs aborts later)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class PortalPlugin(BasePlugin[PortalPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.settings: Settings | None = None
        self.portal: Portal | None = None
        self.pages: PortalPages | None = None
        self.atomic: AtomicBuild | None = None
        self._jobs: dict[str, PageJob] = {}
        self._warnings: _WarningCounter | None = None

    # --- lifecycle ------------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    @event_priority(100)  # before other plugins see the configuration
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
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
        self._configure_theme(config)
        if config.nav is None:
            config.nav = self._navigation(Path(config.docs_dir))

        from .pipeline import validate

        portal, diagnostics = validate(settings)
        for diagnostic in diagnostics:
            if diagnostic.severity is Severity.WARNING:
                log.info(diagnostic.format())
        if portal is None:
            errors = [d.format() for d in diagnostics if d.severity is Severity.ERROR]
            raise PluginError(
                "\n".join([*errors, f"{len(errors)} kesalahan ditemukan; situs tidak dibangun."])
            )
        self.portal = portal
        self.pages = PortalPages(
            portal,
            settings,
            with_search_page=any((Path(d) / "cari.html").is_file() for d in config.theme.dirs),
        )
        if config.strict:
            self._warnings = _WarningCounter()
            logging.getLogger("mkdocs").addHandler(self._warnings)
        if self.command != "serve":
            self.atomic = AtomicBuild.begin(Path(config.site_dir))
            config.site_dir = str(self.atomic.temp_dir)
        return config

    def _reset(self) -> None:
        """A plugin instance lives across `mkdocs serve` rebuilds: forget the last build."""
        self._detach_counter()
        self.portal = None
        self.pages = None
        self.atomic = None
        self._jobs = {}

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
        assert self.pages is not None and self.portal is not None and self.settings is not None
        # One lookup table up front: Files.get_file_from_path rebuilds its index after every
        # append, which would make adding N pages cost O(N²).
        docs_files = {file.src_uri: file for file in files}
        for job in self.pages.jobs:
            existing = docs_files.get(job.src_uri)
            if existing is not None:
                log.info(f"{job.src_uri}: digantikan oleh halaman buatan portal")
                files.remove(existing)
            inclusion = InclusionLevel.INCLUDED if job.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, job.src_uri, content="", inclusion=inclusion))
            self._jobs[job.src_uri] = job
        self._add_images(files, config)
        return files

    def _add_images(self, files: Files, config: MkDocsConfig) -> None:
        """Release images keep their path below ``content/`` (``/<region>/<YYYY>/<file>``)."""
        assert self.portal is not None and self.settings is not None
        content_root = (self.settings.root / self.settings.content_dir).resolve()
        added: set[str] = set()
        for release in self.portal.releases:
            image = release.image
            if image is None or image.url in added:
                continue
            source = self.settings.root / image.source_path
            # Validation already refused symlinks; checked again because this copies bytes.
            if source.is_symlink() or not source.resolve().is_relative_to(content_root):
                raise PluginError(f"{image.source_path}: gambar di luar content/ ditolak")
            files.append(
                File.generated(
                    config,
                    image.url,
                    abs_src_path=str(source),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
            added.add(image.url)

    # --- pages ----------------------------------------------------------------------------

    def _job(self, page: Page) -> PageJob | None:
        job = self._jobs.get(page.file.src_uri)
        return job if job is not None and page.file.generated_by is not None else None

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        job = self._job(page)
        if job is None:
            return markdown
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
            rendered = self.pages.render(job)
            page.content = rendered.body_html
            extra["portal_head"] = rendered.head_html
            extra["portal_page"] = job.kind
        else:
            description = str(page.meta.get("description") or config.site_description or "")
            extra["portal_head"] = self.pages.head_for_other_page(
                page.url, page.title or config.site_name, description
            )
        return context

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
        assert self.portal is not None and self.settings is not None and self.pages is not None
        from .feeds import build_feeds
        from .sitemap import build_sitemaps

        site_dir = Path(config.site_dir)
        writer = SiteWriter(site_dir)
        try:
            writer.write_all(build_feeds(self.portal, self.settings))
            for name in MKDOCS_SITEMAPS:
                writer.remove(name)
            page_urls = [*self.pages.page_urls(), *self._other_page_urls(config)]
            writer.write_all(build_sitemaps(self.portal, self.settings, page_urls))
            if self.settings.search:
                from .search import index_site

                report = index_site(site_dir, self.settings)
                log.info(
                    f"Indeks pencarian: {report.pages_indexed} halaman, {report.index_bytes} bita"
                )
        except PortalError as exc:
            raise PluginError(exc.format()) from None
        warnings = self._warnings.count if self._warnings is not None else 0
        self._detach_counter()
        if warnings:
            return  # strict mode: MkDocs aborts next; on_build_error discards the folder
        if self.atomic is not None:
            self.atomic.commit()
            config.site_dir = str(self.atomic.site_dir)
            self.atomic = None

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
