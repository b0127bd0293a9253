"""Release bodies: Markdown → sanitized HTML, and the checks that run before any rendering.

Rendering (:func:`render_body`) is a pure function of its inputs: Python-Markdown with a fixed
extension set, then the ``nh3`` allowlist sanitizer, so the same text always gives the same
bytes and can be cached and run in parallel. Only ``http``, ``https``, ``mailto`` and relative
URLs survive; relative URLs are resolved against the folder of the source file below
``content/`` and prefixed (``../../../`` on pages, the site URL in feeds).

Inspection (:func:`inspect_body`) reads the Markdown source, without rendering it, and reports
what the sanitizer would silently change — a forbidden URL scheme (also when disguised with
character references such as ``&#106;avascript:``), raw HTML tags or attributes that would be
removed — and text whose nesting would make the Markdown parser slow (deep ``[``, ``>`` or
list nesting): such a file is rejected before anything tries to render it.
"""

from __future__ import annotations

import html
import posixpath
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .diagnostics import Diagnostic, Severity
from .sources import decoded_character_problems

#: The Python-Markdown extensions a body may use (documented in the contributor guide):
#: tables (column alignment as a ``portal-align-*`` class), fenced code blocks, "sane" lists
#: (a numbered and a bulleted list never merge) and definition lists. Deliberately absent:
#: ``attr_list`` (lets a writer set ids, classes and event attributes), ``md_in_html`` and
#: ``footnotes`` (ids that could collide with the page's own).
MARKDOWN_EXTENSIONS: tuple[str, ...] = ("tables", "fenced_code", "sane_lists", "def_list")
_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {"tables": {"use_align_attribute": True}}

#: Tags kept by the sanitizer. ``h1`` is not among them: the page's title is the only ``h1``;
#: Markdown headings are moved one level down (``#`` → ``h2``).
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
#: Tags removed together with their content (anything else unknown keeps its text).
REMOVED_WITH_CONTENT: frozenset[str] = frozenset({"script", "style"})
#: Attributes kept, per tag. ``rel`` is set by the sanitizer itself (``noopener``).
ALLOWED_ATTRIBUTES: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    {
        "a": frozenset({"href", "title"}),
        "abbr": frozenset({"title"}),
        "img": frozenset({"src", "alt", "title", "width", "height"}),
        "ol": frozenset({"start"}),
        "td": frozenset({"colspan", "rowspan"}),
        "th": frozenset({"colspan", "rowspan"}),
        "q": frozenset({"cite"}),
    }
)
ALLOWED_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
LINK_REL = "noopener"
_ALIGN_CLASS_NAMES = {"portal-align-left", "portal-align-center", "portal-align-right"}

#: Nesting budget. Python-Markdown's inline parser scans, in Python, from every ``[`` to its
#: closing ``]`` or to the end of the paragraph (2,000 unclosed ``[`` take seconds), and it
#: recurses for nested lists (300 levels overflow the stack), so a body over any of these
#: limits is rejected before it is rendered. They are far beyond what a press release needs.
MAX_BRACKET_DEPTH = 16
#: Characters Python-Markdown may scan looking for closing brackets (about 0.5 µs each).
MAX_BRACKET_SCAN = 600_000
MAX_BRACKETS_PER_FILE = 4_000
MAX_QUOTE_DEPTH = 8
#: Definition lines (``: …``) per body: Python-Markdown's definition lists recurse once per
#: item, and a few hundred tight items exceed Python's recursion limit.
MAX_DEFINITIONS = 200
#: '<' characters and underline lines (``===``/``---``) per body: Python-Markdown's HTML and
#: heading handling (and this module's tag scan) slow down quadratically on thousands of them;
#: a press release has a handful.
MAX_ANGLE_BRACKETS = 2_000
MAX_UNDERLINES = 200
_UNDERLINE_RE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)
#: Characters counted per body: the limit and what to do instead (each count is linear).
_CHARACTER_BUDGETS = (
    ("[", MAX_BRACKETS_PER_FILE, "Kurangi tautan atau pecah menjadi beberapa rilis"),
    ("<", MAX_ANGLE_BRACKETS, "Tulis isi dengan Markdown biasa, bukan HTML"),
)
_DEFINITION_RE = re.compile(r"^ {0,3}:[ \t]", re.MULTILINE)
#: Lines counted per body, with their limit and what they are.
_LINE_BUDGETS = (
    (_UNDERLINE_RE, MAX_UNDERLINES, "baris garis ('===' atau '---')"),
    (_DEFINITION_RE, MAX_DEFINITIONS, "baris definisi (': …'); gunakan tabel atau daftar biasa"),
)
MAX_LIST_DEPTH = 16

_local = threading.local()


def _markdown() -> markdown.Markdown:
    # One converter per thread: building one costs more than converting a release, and a
    # Markdown instance is not safe to share between threads.
    converter: markdown.Markdown | None = getattr(_local, "converter", None)
    if converter is None:
        converter = markdown.Markdown(
            extensions=list(MARKDOWN_EXTENSIONS),
            extension_configs=_EXTENSION_CONFIGS,
            output_format="html",
        )
        converter.treeprocessors.register(_DemoteHeadings(converter), "portal-demote", 0)
        _local.converter = converter
    return converter


class _DemoteHeadings(Treeprocessor):  # type: ignore[misc]
    """Fit the body under the page title, and turn table alignment into classes.

    The release title is the page's only ``h1``, so the body's highest heading becomes ``h2``
    and the others keep their distance from it (``##`` sections, which the contributor guide
    asks for, stay ``h2`` instead of skipping a level). HTML5 made ``align`` obsolete, so
    column alignment becomes one of the ``portal-align-*`` classes the sanitizer allows.
    """

    def run(self, root: Any) -> None:
        headings = [e for e in root.iter() if _heading_level(e.tag)]
        if headings:
            shift = 2 - min(_heading_level(e.tag) for e in headings)
            for element in headings:
                element.tag = f"h{min(_heading_level(element.tag) + shift, 6)}"
        for element in root.iter():
            if element.tag in ("td", "th"):
                align = element.attrib.pop("align", None)
                if align in TABLE_ALIGN_CLASSES:
                    element.set("class", f"portal-align-{align}")


#: Table alignments Python-Markdown writes, each with its CSS class in portal.css.
TABLE_ALIGN_CLASSES = ("left", "center", "right")


def _heading_level(tag: object) -> int:
    if isinstance(tag, str) and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
        return int(tag[1])
    return 0


def resolve_relative_url(url: str, *, source_dir: str, url_prefix: str) -> str:
    """A relative URL from a body written in ``content/<source_dir>/`` as the site will see it.

    ``foto.jpg`` → ``<prefix><source_dir>/foto.jpg``; ``/kantor/`` → ``<prefix>kantor/``;
    ``#bagian`` stays as it is. A link to another release's ``.md`` file becomes that
    release's page URL (``2024-05-01-slug.md`` → ``…/2024-05-01-slug/``).
    """
    if not url or url.startswith(("#", "?")):
        return url
    path, hash_sign, fragment = url.partition("#")
    path, question, query = path.partition("?")
    if path.startswith("//"):  # protocol-relative: an external host, pin it to https
        return "https:" + url
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.normpath(posixpath.join(source_dir, path))
        if path.endswith("/") and not joined.endswith("/"):
            joined += "/"
    if joined in (".", ""):
        joined = ""
    if joined.startswith("../") or joined == "..":
        joined = joined.lstrip("./")  # never point above the site root
    if _RELEASE_FILE_RE.search(joined):
        joined = joined[: -len(".md")] + "/"
    return url_prefix + joined + (question + query) + (hash_sign + fragment)


_RELEASE_FILE_RE = re.compile(r"(^|/)\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md$")


def render_body(markdown_text: str, *, source_dir: str, url_prefix: str) -> str:
    """Sanitized HTML of a release body (pure: the same arguments give the same string).

    ``source_dir`` is the folder of the source below ``content/`` (``kota-bandung/2024``);
    ``url_prefix`` is put before every resolved relative URL (``../../../`` on a release page,
    ``https://site/`` in a feed).

    A release's page and its feed item ask for the same body with two prefixes; the Markdown
    conversion and the sanitizing (most of the cost) run once, with :data:`URL_PREFIX_SENTINEL`
    in place of the prefix, and each prefix then only replaces the sentinel. That gives the
    same bytes as sanitizing with the prefix itself, because the sentinel and the prefix are
    both written into attributes unescaped (:func:`_written_verbatim`) and the sentinel occurs
    only where a prefix was put (:func:`_render_with_sentinel` checks); otherwise the body is
    rendered with the prefix directly.
    """
    with_sentinel = _render_with_sentinel(markdown_text, source_dir)
    if with_sentinel is None or not _written_verbatim(url_prefix):
        return _render_with_prefix(markdown_text, source_dir, url_prefix)
    return with_sentinel.replace(URL_PREFIX_SENTINEL, url_prefix)


#: Put in place of the URL prefix while a body is sanitized once for every prefix. Two
#: private-use characters around a name no press release contains; the sentinel cannot overlap
#: itself (its first and last characters occur once), so counting it in the output is exact.
URL_PREFIX_SENTINEL = "\ue000portal-url-prefix\ue001"
#: Characters the HTML serializer escapes in an attribute value (``&amp;``, ``&quot;``,
#: ``&nbsp;``): a prefix containing one is not written verbatim.
_ESCAPED_IN_ATTRIBUTES = ("&", '"', "\u00a0")


def _written_verbatim(url_prefix: str) -> bool:
    return not any(character in url_prefix for character in _ESCAPED_IN_ATTRIBUTES)


# Bounded: one entry per body (the rendered HTML; the Markdown key is the release's own string).
# A build renders each release's page and, when its feeds changed, its feed item: enough room
# for a few thousand releases between the two.
@lru_cache(maxsize=8192)
def _render_with_sentinel(markdown_text: str, source_dir: str) -> str | None:
    """The body rendered with :data:`URL_PREFIX_SENTINEL` as prefix, or None when the sentinel
    also occurs where no prefix was put (the body contains it): then it cannot be replaced."""
    prefixed = 0

    def relative(url: str) -> str | None:
        nonlocal prefixed
        resolved = resolve_relative_url(url, source_dir=source_dir, url_prefix=URL_PREFIX_SENTINEL)
        if resolved.startswith(URL_PREFIX_SENTINEL):
            prefixed += 1
        return resolved

    rendered = _sanitize(_convert(markdown_text), relative)
    return rendered if rendered.count(URL_PREFIX_SENTINEL) == prefixed else None


def _render_with_prefix(markdown_text: str, source_dir: str, url_prefix: str) -> str:
    def relative(url: str) -> str | None:
        return resolve_relative_url(url, source_dir=source_dir, url_prefix=url_prefix)

    return _sanitize(_convert(markdown_text), relative)


def _convert(markdown_text: str) -> str:
    converter = _markdown()
    try:
        html_text: str = converter.reset().convert(markdown_text)
    finally:
        converter.reset()
    return html_text


def _local_images_only(element: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: an image from another host loses its ``src`` (then the image is
    dropped): the portal never makes a reader's browser contact a third party."""
    if element == "img" and attribute == "src":
        stripped = value.strip()
        if stripped.startswith("//") or url_scheme(stripped) is not None:
            return None
    return value


_CHARACTER_REFERENCE_RE = re.compile(r"&#(?:[0-9]{1,8}|[xX][0-9a-fA-F]{1,7});")
_IMAGE_WITHOUT_SOURCE_RE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
#: Characters XML 1.0 forbids (feeds are XML) that a character reference like ``&#27;`` can
#: still put into a body; the checks report them (FILE007), the renderer never emits them.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _sanitize(raw_html: str, relative: Callable[[str], str | None]) -> str:
    cleaned: str = nh3.clean(
        raw_html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        allowed_classes={cell: _ALIGN_CLASS_NAMES for cell in ("td", "th")},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        url_relative=relative,
        attribute_filter=_local_images_only,
    )
    cleaned = _IMAGE_WITHOUT_SOURCE_RE.sub("", cleaned)
    return _NOT_XML_RE.sub("", cleaned)


# --- inspection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A URL written in the body, with its place in the file."""

    url: str
    line: int
    col: int
    #: True for images (Markdown ``![…](…)`` or ``<img src>``): their files must exist.
    is_image: bool
    alt: str | None = None


_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.DOTALL)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTRIBUTE_RE = re.compile(
    r"([^\s\"'<>/=]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?", re.DOTALL
)
_INLINE_LINK_RE = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)",
)
_REFERENCE_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)", re.MULTILINE)
_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
# Browsers drop ASCII tab, LF and CR anywhere in a URL and leading/trailing spaces and C0
# controls before they read the scheme: "java\tscript:" is "javascript:".
_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see after decoding character references, or None."""
    decoded = html.unescape(url) if "&" in url else url
    decoded = _URL_NOISE_RE.sub("", decoded).lower()
    if decoded.startswith("//"):
        return "https"
    match = _SCHEME_RE.match(decoded)
    return match.group(1) if match else None


def _mask_code(text: str) -> str:
    """The text with fenced code blocks and code spans replaced by spaces (same offsets).

    Links and tags inside code are shown as text, never followed, so they are not checked.
    """
    if "`" not in text and "~" not in text:
        return text
    if "```" in text or "~~~" in text:
        lines = text.split("\n")
        opened_at: int | None = None
        fence = ""
        for index, line in enumerate(lines):
            if opened_at is None:
                match = _FENCE_RE.match(line)
                if match:
                    opened_at, fence = index, match.group(1)
                continue
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                # a fence that is closed is code; an unclosed one is ordinary text
                for code_line in range(opened_at, index + 1):
                    lines[code_line] = " " * len(lines[code_line])
                opened_at = None
        text = "\n".join(lines)
    if "`" in text:
        text = _CODE_SPAN_RE.sub(lambda span: _blank(span.group()), text)
    return text


def _blank(text: str) -> str:
    """Spaces in place of every character but line breaks (so offsets and lines stay)."""
    return _NOT_NEWLINE_RE.sub(" ", text) if "\n" in text else " " * len(text)


_NOT_NEWLINE_RE = re.compile(r"[^\n]")


class _Positions:
    """Offsets in the body → line and column in the file."""

    def __init__(self, text: str, first_line: int) -> None:
        self._starts = [0]
        self._starts.extend(m.end() for m in re.finditer("\n", text))
        self._first_line = first_line

    def at(self, offset: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self._starts, offset) - 1
        return self._first_line + index, offset - self._starts[index] + 1


def find_references(markdown_text: str, first_line: int = 1) -> list[Reference]:
    """Every link and image URL in the body (Markdown and raw HTML), outside code."""
    return list(_references(markdown_text, first_line))


@lru_cache(maxsize=16)  # validation asks twice in a row: for schemes and for image files
def _references(markdown_text: str, first_line: int) -> tuple[Reference, ...]:
    if "](" not in markdown_text and "<" not in markdown_text and "]:" not in markdown_text:
        return ()
    masked = _mask_code(markdown_text)
    positions = _Positions(markdown_text, first_line)
    references: list[Reference] = []
    for match in _INLINE_LINK_RE.finditer(masked):
        url, start = match.group(3), match.start(3)
        if url.startswith("<") and url.endswith(">"):
            url, start = url[1:-1], start + 1
        line, col = positions.at(start)
        references.append(
            Reference(url, line, col, is_image=match.group(1) == "!", alt=match.group(2))
        )
    for match in _REFERENCE_DEF_RE.finditer(masked):
        url = match.group(1).strip("<>")
        line, col = positions.at(match.start(1))
        references.append(Reference(url, line, col, is_image=False))
    for match in _AUTOLINK_RE.finditer(masked):
        line, col = positions.at(match.start(1))
        references.append(Reference(match.group(1), line, col, is_image=False))
    for tag in _iter_tags(masked):
        if tag.closing:
            continue
        for name, value, value_offset, _ in tag.attributes:
            if name in _URL_ATTRIBUTES and value is not None:
                line, col = positions.at(value_offset)
                alt = next((v for n, v, _, _ in tag.attributes if n == "alt"), None)
                references.append(
                    Reference(
                        value, line, col, is_image=tag.name == "img" and name == "src", alt=alt
                    )
                )
    references.sort(key=lambda r: (r.line, r.col))
    return tuple(references)


@dataclass(frozen=True)
class _Tag:
    name: str
    closing: bool
    offset: int
    #: (lower-case name, value or None, offset of the value (of the name when there is
    #: no value), offset of the name)
    attributes: tuple[tuple[str, str | None, int, int], ...]


def _iter_tags(masked: str) -> Iterator[_Tag]:
    for match in _TAG_RE.finditer(masked):
        attributes: list[tuple[str, str | None, int, int]] = []
        body_start = match.start(3)
        for attribute in _ATTRIBUTE_RE.finditer(match.group(3)):
            name = attribute.group(1).lower()
            value: str | None = None
            value_offset = body_start + attribute.start()
            for group in (2, 3, 4):
                if attribute.group(group) is not None:
                    value = attribute.group(group)
                    value_offset = body_start + attribute.start(group)
                    break
            attributes.append((name, value, value_offset, body_start + attribute.start()))
        yield _Tag(match.group(2).lower(), bool(match.group(1)), match.start(), tuple(attributes))


def inspect_body(markdown_text: str, rel_path: str, first_line: int) -> list[Diagnostic]:
    """Problems in a body that the renderer would hide: schemes, dropped HTML, nesting.

    ``first_line`` is the file line the body starts on, so reported lines count from the top
    of the file. Runs on the source only; a body that fails the nesting budget must not be
    rendered.
    """
    problems = _nesting_problems(markdown_text, rel_path, first_line)
    if problems:
        return problems  # the other scans are linear, but a rejected body needs no more noise
    masked = _mask_code(markdown_text)
    positions = _Positions(markdown_text, first_line)
    for reference in find_references(markdown_text, first_line):
        scheme = url_scheme(reference.url)
        if scheme is not None and scheme not in ALLOWED_SCHEMES:
            problems.append(
                Diagnostic(
                    rel_path,
                    reference.line,
                    reference.col,
                    "MD001",
                    _WINDOWS_PATH_MESSAGE
                    if _WINDOWS_PATH_RE.match(reference.url)
                    else f"alamat dengan skema '{scheme}:' tidak diizinkan dan akan dihapus; "
                    "gunakan alamat http://, https://, mailto: atau jalur relatif",
                )
            )
        elif reference.is_image and not (reference.alt or "").strip():
            problems.append(
                Diagnostic(
                    rel_path,
                    reference.line,
                    reference.col,
                    "MD005",
                    "gambar tanpa teks alternatif; tulis keterangan singkat di dalam ![…] "
                    "untuk pembaca tunanetra",
                    Severity.WARNING,
                )
            )
    problems.extend(_rendered_scheme_problems(markdown_text, rel_path, first_line, problems))
    for match in _CHARACTER_REFERENCE_RE.finditer(masked):
        # Decoded by hand: html.unescape drops exactly the code points asked about here.
        digits = match.group()[2:-1]
        number = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
        if number > 0x10FFFF:
            continue  # becomes U+FFFD, harmless
        decoded = chr(number)
        line, col = positions.at(match.start())
        problems.extend(
            decoded_character_problems(
                decoded, rel_path, line, col, f"rujukan karakter {match.group()}"
            )
        )
    for tag in _iter_tags(masked):
        line, col = positions.at(tag.offset)
        if tag.name not in ALLOWED_TAGS:
            if tag.closing:
                continue  # reported at the opening tag
            if tag.name in REMOVED_WITH_CONTENT:
                what = f"tag <{tag.name}> beserta isinya akan dihapus"
            elif tag.name == "h1":
                what = "tag <h1> akan dihapus (judul rilis sudah menjadi h1); gunakan '## Subjudul'"
            else:
                what = f"tag <{tag.name}> akan dihapus (teks di dalamnya tetap tampil)"
            problems.append(
                Diagnostic(
                    rel_path,
                    line,
                    col,
                    "MD002",
                    f"HTML tidak diizinkan: {what}; tulis dengan Markdown biasa",
                )
            )
            continue
        allowed = ALLOWED_ATTRIBUTES.get(tag.name, frozenset())
        for name, _value, _value_offset, name_offset in tag.attributes:
            if name in allowed:
                continue
            attr_line, attr_col = positions.at(name_offset)
            problems.append(
                Diagnostic(
                    rel_path,
                    attr_line,
                    attr_col,
                    "MD003",
                    f"atribut '{name}' pada <{tag.name}> tidak diizinkan dan akan dihapus"
                    + (
                        f"; atribut yang boleh: {', '.join(sorted(allowed))}"
                        if allowed
                        else "; tag ini tidak boleh memiliki atribut"
                    ),
                )
            )
    return problems


_DEEP_QUOTE_RE = re.compile(rf"^ {{0,3}}(?:> ?){{{MAX_QUOTE_DEPTH + 1},}}", re.MULTILINE)
_LIST_ITEM_RE = re.compile(r"^([ \t]+)(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
_BRACKET_TOKEN_RE = re.compile(r"\\.|[\[\]]|\n[ \t]*\n", re.DOTALL)


def _nesting_problems(text: str, rel_path: str, first_line: int) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    positions = _Positions(text, first_line)

    def report(offset: int, message: str) -> None:
        line, col = positions.at(offset)
        problems.append(Diagnostic(rel_path, line, col, "MD004", message))

    for char, limit, advice in _CHARACTER_BUDGETS:
        count = text.count(char)
        if count > limit:
            report(
                _nth_index(text, char, limit + 1),
                f"isi rilis memuat {count} tanda '{char}'; batasnya {limit}. {advice}",
            )
            return problems
    if "[" in text:
        bracket_problem = _bracket_problem(text)
        if bracket_problem is not None:
            report(*bracket_problem)
    for match in _DEEP_QUOTE_RE.finditer(text):
        depth = match.group().count(">")
        report(
            match.start(),
            f"kutipan bertingkat terlalu dalam ({depth} tanda '>'); paling banyak "
            f"{MAX_QUOTE_DEPTH} tingkat",
        )
    for match in _LIST_ITEM_RE.finditer(text):
        indent = len(match.group(1).expandtabs(4))
        if indent >= 4 * MAX_LIST_DEPTH:
            report(
                match.start(),
                f"daftar bertingkat terlalu dalam (indentasi {indent} spasi); paling banyak "
                f"{MAX_LIST_DEPTH} tingkat",
            )
    for pattern, limit, what in _LINE_BUDGETS:
        starts = [match.start() for match in pattern.finditer(text)]
        if len(starts) > limit:
            report(starts[limit], f"isi rilis memuat {len(starts)} {what}; batasnya {limit}")
    return problems


def _bracket_problem(text: str) -> tuple[int, str] | None:
    """(offset, message) when ``[`` nest too deep or would cost the parser too much.

    Python-Markdown looks for the ``]`` that closes each ``[`` one character at a time (in
    Python), up to the end of the paragraph when there is none. The cost of a body is the
    sum of those distances; it is computed here in linear time from the bracket positions.
    """
    cost = 0
    opened: list[int] = []
    for token in _BRACKET_TOKEN_RE.finditer(text):
        kind = token.group()
        if kind == "[":
            opened.append(token.start())
            if len(opened) > MAX_BRACKET_DEPTH:
                return token.start(), (
                    f"tanda '[' bersarang terlalu dalam (lebih dari {MAX_BRACKET_DEPTH} "
                    "tingkat) atau tidak ditutup; tutup setiap '[' dengan ']' atau tulis '\\[' "
                    "untuk tanda kurung biasa"
                )
        elif kind == "]":
            if opened:
                cost += token.start() - opened.pop()
        elif kind[0] == "\n":  # a blank line ends the paragraph: unclosed '[' scan to here
            cost += sum(token.start() - start for start in opened)
            opened.clear()
        if cost > MAX_BRACKET_SCAN:
            return token.start(), (
                "tautan dan tanda '[' di bagian ini terlalu rumit untuk diolah dengan cepat; "
                "kurangi tanda '[' yang tidak ditutup atau pecah paragraf yang panjang"
            )
    cost += sum(len(text) - start for start in opened)
    if cost > MAX_BRACKET_SCAN:
        return opened[0], (
            "tanda '[' yang tidak ditutup di sini membuat isi terlalu rumit untuk diolah "
            "dengan cepat; tutup dengan ']' atau tulis '\\[' untuk tanda kurung biasa"
        )
    return None


#: ``C:\\Users\\…`` or ``D:/foto.jpg``: a file on the writer's own computer, not a scheme.
_WINDOWS_PATH_RE = re.compile(r"^\s*[A-Za-z]:[\\/]")
_WINDOWS_PATH_MESSAGE = (
    "ini jalur berkas di komputer Anda sendiri (Windows), pembaca tidak dapat membukanya; "
    "salin berkasnya ke folder wilayah di content/ dan tulis namanya saja, mis. foto.jpg"
)
#: Schemes that run code or read local data. A body that mentions one, however disguised
#: (character references, tabs), is also rendered once during validation, so that a form of
#: link the source scan does not recognise still gets its MD001 instead of silent removal.
_DANGEROUS_SCHEME_RE = re.compile(r"(?:javascript|vbscript|livescript|data|file|blob):")


class _UrlAttributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(v for n, v in attrs if n in _URL_ATTRIBUTES and v is not None)


class _ImageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.extend(v for n, v in attrs if n == "src" and v is not None)


def rendered_image_sources(text: str) -> list[str]:
    """The ``src`` of every image the renderer makes of ``text``, before sanitizing.

    :func:`find_references` reads the usual forms; Python-Markdown also accepts reference
    definitions (``![a][ref]`` with ``[ref]: url``) and deeper nesting, so the image checks
    ask the renderer itself. Only bodies that can contain an image are rendered.
    """
    if "![" not in text and "<img" not in text.lower():
        return []
    parser = _ImageSources()
    parser.feed(_convert(text))
    parser.close()
    return parser.sources


def _rendered_scheme_problems(
    text: str, rel_path: str, first_line: int, reported: list[Diagnostic]
) -> list[Diagnostic]:
    if "&" in text or "\t" in text or "\r" in text:
        normalized = _URL_NOISE_RE.sub("", html.unescape(text)).lower()
    else:  # nothing can hide a scheme but a line break
        normalized = text.lower().replace("\n", "")
    if not _DANGEROUS_SCHEME_RE.search(normalized):
        return []
    converter = _markdown()
    try:
        raw_html = converter.reset().convert(text)
    finally:
        converter.reset()
    parser = _UrlAttributes()
    parser.feed(raw_html)
    parser.close()
    bad = [u for u in parser.urls if (url_scheme(u) or "https") not in ALLOWED_SCHEMES]
    already = sum(d.code == "MD001" for d in reported)
    problems: list[Diagnostic] = []
    positions = _Positions(text, first_line)
    for url in bad[already:]:
        scheme = url_scheme(url)
        offset = text.find(url[:12]) if url[:12] else -1
        line, col = positions.at(offset) if offset >= 0 else (first_line, 1)
        problems.append(
            Diagnostic(
                rel_path,
                line,
                col,
                "MD001",
                f"alamat dengan skema '{scheme}:' tidak diizinkan dan akan dihapus; "
                "gunakan alamat http://, https://, mailto: atau jalur relatif",
            )
        )
    return problems


def _nth_index(text: str, needle: str, n: int) -> int:
    index = -1
    for _ in range(n):
        index = text.index(needle, index + 1)
    return index


def decoded_path(url: str) -> str:
    """The file path a relative URL names (``%20`` decoded, query and fragment removed)."""
    return unquote(url.partition("#")[0].partition("?")[0])
