"""Render stage, theme side: generated pages through the theme's shell, made once per group.

Every page the portal renders outside MkDocs' navigation goes through the same theme template
with the same navigation, configuration and page options. What differs from page to page is
only its title, its head (``portal_head``), its content and the relative URLs the theme writes
from the page's own address. Rendering Material's template (header, tabs, navigation) costs
about as much as making the page's content, so it is done once per *group*: pages whose
template, kind and every relative URL the theme computes are equal. The group's *shell* is the
template rendered with sentinels in place of the three values; a page is then its shell with
its own values put in.

The result is byte-for-byte what MkDocs' ``_build_page`` writes, and this is checked rather
than assumed:

- the relative URLs are recorded while the theme renders (every one goes through
  ``mkdocs.utils.get_relative_url``), so the group key holds each of them for the page;
- each sentinel must appear only in the form its value will take (the title escaped once, as
  ``| e`` does; the head and content as they are), and the page's own address must not appear
  in the shell;
- the first page of every group is rendered by the theme as well and must equal its filled
  shell.

A group that fails any check is rendered page by page through MkDocs (as is everything when
another plugin handles ``on_page_context``, which could give each page a different context).
Shells are kept per process: each render worker makes the few it needs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import mkdocs.utils
from jinja2 import Environment
from markupsafe import escape
from mkdocs.commands.build import _build_page, get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.portal")

#: Put in place of the page's title, head and content while a shell is rendered. Private-use
#: characters no theme writes; the title holds every character ``| e`` escapes, so a theme
#: that prints the title any other way (raw, through ``striptags``) is told apart.
TITLE_SENTINEL = "\ue010portal-title&<>\"'\ue011"
HEAD_SENTINEL = "\ue012portal-head\ue013"
CONTENT_SENTINEL = "\ue014portal-content\ue015"
_SLOTS = {str(escape(TITLE_SENTINEL)): 0, HEAD_SENTINEL: 1, CONTENT_SENTINEL: 2}
_SLOT_RE = re.compile("|".join(re.escape(form) for form in _SLOTS))
_SENTINEL_CHARACTERS = re.compile("[\ue010-\ue015]")

#: The context variable the portal's theme prints as the page's head (see theme/main.html).
HEAD_VARIABLE = "portal_head"

#: Returns a page's head HTML and sets its ``content``: the portal's part of on_page_context.
PageParts = Callable[[Page], str]


@dataclass(frozen=True)
class Shell:
    """A rendered template with slots: literal text and slot numbers (title, head, content)."""

    parts: tuple[str | int, ...]

    def fill(self, title: str, head: str, content: str) -> str:
        values = (str(escape(title)), head, content)
        return "".join(part if isinstance(part, str) else values[part] for part in self.parts)

    @classmethod
    def of(cls, rendered: str, page_url: str) -> Shell | None:
        """The shell in ``rendered`` (a template rendered with the sentinels), or None when a
        sentinel appears in another form or the page's address is written into it."""
        parts: list[str | int] = []
        position = 0
        for match in _SLOT_RE.finditer(rendered):
            parts.append(rendered[position : match.start()])
            parts.append(_SLOTS[match.group()])
            position = match.end()
        parts.append(rendered[position:])
        literal = "".join(part for part in parts if isinstance(part, str))
        if _SENTINEL_CHARACTERS.search(literal) or (page_url and page_url in literal):
            return None
        return cls(tuple(part for part in parts if part != ""))


@contextmanager
def _relative_urls() -> Iterator[list[tuple[str, str]]]:
    """Record every ``get_relative_url(url, other)`` made meanwhile. MkDocs makes each URL a
    template writes relative to the page with it (``base_url``, the ``url`` filter, extra CSS
    and scripts), so the calls name everything the shell takes from the page's address."""
    original = mkdocs.utils.get_relative_url
    calls: list[tuple[str, str]] = []

    def recording(url: str, other: str) -> str:
        calls.append((url, other))
        return original(url, other)

    # Patched in the module (normalize_url and get_context look it up there), for the span of
    # one render in this process only, and always put back.
    mkdocs.utils.get_relative_url = recording
    try:
        yield calls
    finally:
        mkdocs.utils.get_relative_url = original


class PageShells:
    """Writes generated pages as MkDocs' ``_build_page`` would, through shells where it can.

    One instance per build; a render worker inherits it and fills in its own shells."""

    def __init__(
        self,
        config: MkDocsConfig,
        doc_files: Sequence[File],
        nav: Navigation,
        env: Environment,
        parts: PageParts,
        *,
        enabled: bool,
    ) -> None:
        self._config = config
        self._doc_files = doc_files
        self._nav = nav
        self._env = env
        self._parts = parts
        self.enabled = enabled
        #: Per template: the URLs it makes relative to the page, or None (no shell for it).
        self._urls: dict[str, tuple[str, ...] | None] = {}
        #: Per group key: its shell, or None when the group is rendered page by page.
        self._shells: dict[tuple[str, ...], Shell | None] = {}

    def build_page(self, page: Page, group: str) -> None:
        """Render and write ``page`` (``group`` names the kind of page: part of the key)."""
        template = str(page.meta.get("template", "main.html"))
        if not self.enabled or "title" not in page.meta or self._urls.get(template, ()) is None:
            self._through_mkdocs(page)
            return
        urls = self._urls.get(template)
        key = None if urls is None else self._key(template, group, urls, page.url)
        if key is None or key not in self._shells:
            self._learn(page, template, group)
        elif (shell := self._shells[key]) is None:
            self._through_mkdocs(page)
        else:
            self._write(page, self._filled(page, shell))

    def _through_mkdocs(self, page: Page) -> None:
        _build_page(page, self._config, self._doc_files, self._nav, self._env)

    @staticmethod
    def _key(template: str, group: str, urls: tuple[str, ...], page_url: str) -> tuple[str, ...]:
        relative = mkdocs.utils.get_relative_url
        return (template, group, *(relative(url, page_url) for url in urls))

    def _filled(self, page: Page, shell: Shell) -> str:
        head = self._parts(page)
        return shell.fill(str(page.meta["title"]), head, page.content or "")

    def _learn(self, page: Page, template_name: str, group: str) -> None:
        """Render ``page`` through the theme as MkDocs does, and once more with the sentinels:
        the group's shell, kept if it passes every check (see the module's docstring)."""
        config = self._config
        config._current_page = page
        page.active = True
        try:
            with _relative_urls() as calls:
                context: Any = get_context(self._nav, self._doc_files, config, page)
                template = self._env.get_template(template_name)
                context = config.plugins.on_page_context(
                    context, page=page, config=config, nav=self._nav
                )
                output = template.render(context)
                title, head, content = page.meta["title"], context.get(HEAD_VARIABLE), page.content
                page.meta["title"] = TITLE_SENTINEL
                context[HEAD_VARIABLE] = HEAD_SENTINEL
                page.content = CONTENT_SENTINEL
                try:
                    sentinel_output = template.render(context)
                finally:
                    page.meta["title"], context[HEAD_VARIABLE], page.content = title, head, content
            shell = Shell.of(sentinel_output, page.url)
            urls = tuple(sorted({url for url, _other in calls}))
            if any(other != page.url for _url, other in calls) or not isinstance(head, str):
                shell = None
            known = self._urls.setdefault(template_name, urls)
            if known != urls:
                # The template takes another path through itself for this page: no shells.
                self._urls[template_name] = None
            elif shell is not None and shell.fill(str(title), head, content or "") != output:
                shell = None
            if known == urls:
                self._shells[self._key(template_name, group, urls, page.url)] = shell
            if shell is None:
                log.debug(f"{page.url}: halaman dirender tanpa kerangka bersama")
            output = config.plugins.on_post_page(output, page=page, config=config)
            self._write(page, output, post_page=False)
        finally:
            page.active = False
            config._current_page = None

    def _write(self, page: Page, output: str, *, post_page: bool = True) -> None:
        """The end of MkDocs' ``_build_page``: ``on_post_page``, then the file."""
        config = self._config
        if post_page:
            config._current_page = page
            page.active = True
            try:
                output = config.plugins.on_post_page(output, page=page, config=config)
            finally:
                page.active = False
                config._current_page = None
        if output.strip():
            mkdocs.utils.write_file(
                output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path
            )
        else:
            log.info(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
