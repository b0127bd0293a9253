"""A deliberately small YAML reader for front matter and the region registry.

PyYAML implements YAML 1.1, where ``NO`` is a boolean, ``012345`` an octal number and
``12:30`` a sexagesimal integer, and where tags (``!!python/object``), anchors and aliases are
allowed. None of that belongs in a press release. This module composes the YAML node graph
(so every value keeps its line and column), refuses tags, anchors, aliases and duplicate keys,
and hands back *every scalar as a string*: the schema that reads the tree decides what a value
means and says so when it cannot (``draft: NO`` is an error, never a silent ``False``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.composer import Composer
from yaml.constructor import BaseConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .diagnostics import Diagnostic
from .sources import decoded_character_problems

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class Scalar:
    value: str
    line: int
    col: int
    #: True when written without quotes: ``null``/``~``/empty then mean "no value".
    plain: bool

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Sequence:
    items: tuple[YamlValue, ...]
    line: int
    col: int


@dataclass(frozen=True)
class Entry:
    key: str
    key_line: int
    key_col: int
    value: YamlValue


@dataclass(frozen=True)
class Mapping:
    entries: tuple[Entry, ...]
    line: int
    col: int

    def get(self, key: str) -> Entry | None:
        return next((e for e in self.entries if e.key == key), None)


YamlValue = Scalar | Sequence | Mapping


class _Resolver(BaseResolver):
    """No implicit resolvers at all: every plain scalar is a string."""


class _Loader(Reader, Scanner, Parser, Composer, BaseConstructor, _Resolver):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseConstructor.__init__(self)
        _Resolver.__init__(self)


class _Refused(Exception):
    def __init__(self, line: int, col: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.code, self.message = line, col, code, message


def parse(
    text: str, path: str, *, first_line: int = 1
) -> tuple[YamlValue | None, list[Diagnostic]]:
    """Parse one YAML document into a position-carrying tree of strings.

    ``first_line`` is the file line on which ``text`` starts (front matter starts on line 2),
    so that every reported line counts from the top of the file. Returns ``(None, problems)``
    when the text is not acceptable; an empty document gives ``(None, [])``.
    """
    offset = first_line - 1
    problems: list[Diagnostic] = []
    too_deep = _flow_depth_problem(text)
    if too_deep is not None:
        line, col = too_deep
        return None, [Diagnostic(path, line + offset, col, "YAML006", _TOO_DEEP)]
    try:
        return _parse(text, path, offset, problems)
    except RecursionError:
        # block nesting by indentation can still be deep enough for the recursive composer
        return None, [Diagnostic(path, first_line, 1, "YAML006", _TOO_DEEP)]


#: Deeper than any front matter or registry entry needs (updates → item → date is 3).
MAX_DEPTH = 16
_TOO_DEEP = (
    f"struktur YAML terlalu bertingkat (lebih dari {MAX_DEPTH} tingkat '[' atau '{{'); "
    "tulis daftar dan kunci secara sederhana"
)


def _flow_depth_problem(text: str) -> tuple[int, int] | None:
    """(line, col) where flow brackets nest deeper than ``MAX_DEPTH``, if they do.

    A cheap pre-scan (quotes are not tracked, so brackets inside quoted text count too; no
    real value comes near the limit) that keeps the recursive parsers away from inputs such
    as ``a: [[[[…``.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    line, line_start = 1, 0
    for index, char in enumerate(text):
        if char == "\n":
            line, line_start = line + 1, index + 1
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, index - line_start + 1
        elif char in "]}" and depth > 0:
            depth -= 1
    return None


def _parse(
    text: str, path: str, offset: int, problems: list[Diagnostic]
) -> tuple[YamlValue | None, list[Diagnostic]]:
    composed, fast_node = _fast_compose(text)
    if composed:
        return _finish(fast_node, offset, path, problems)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "tidak dapat dibaca"
        if isinstance(exc, _AnchorError):
            line, col = _mark_position(mark, offset)
            problems.append(Diagnostic(path, line, col, "YAML003", problem))
            return None, problems
        hint, at_context = _hint(exc)
        line, col = _mark_position(exc.context_mark if at_context else mark, offset)
        culprit = _earlier_culprit(text, mark) if mark is not None else None
        if culprit is not None:
            (culprit_line, col), hint = culprit
            line = culprit_line + 1 + offset
        problems.append(Diagnostic(path, line, col, "YAML001", f"YAML tidak valid: {hint}"))
        return None, problems
    except yaml.YAMLError as exc:  # reader errors (e.g. non-printable characters)
        problems.append(Diagnostic(path, 1 + offset, 1, "YAML001", f"YAML tidak valid: {exc}"))
        return None, problems
    return _finish(node, offset, path, problems)


def _mark_position(mark: yaml.Mark | None, offset: int) -> tuple[int, int]:
    return ((mark.line + 1 if mark else 1) + offset, mark.column + 1 if mark else 1)


#: PyYAML's messages for the slips people make in front matter, each with what to do
#: (matched on PyYAML's ``problem`` text, then its ``context``). The second value says whether
#: the place to show is where the construct began (an unclosed quote) rather than where
#: PyYAML noticed.
_HINTS: tuple[tuple[str, str, bool], ...] = (
    (
        "found character '\\t'",
        "karakter tab tidak boleh dipakai untuk indentasi YAML; gunakan spasi",
        False,
    ),
    (
        "while scanning a quoted scalar",
        "tanda kutip yang dibuka di sini tidak ditutup; tambahkan tanda kutip penutup di akhir "
        "nilai (pada baris yang sama)",
        True,
    ),
    (
        "mapping values are not allowed here",
        "nilai memuat titik dua diikuti spasi (': '); apit seluruh nilai dengan tanda kutip "
        'ganda, misalnya title: "Rapat: Koordinasi"',
        False,
    ),
    (
        "expected <block end>, but found",
        "ada teks setelah tanda kutip penutup; jika nilai memuat tanda kutip ganda, apit nilai "
        "dengan kutip tunggal ('…') atau tulis \\\" di dalamnya",
        False,
    ),
    (
        "that cannot start any token",
        "nilai tidak boleh diawali karakter ini tanpa tanda kutip; apit seluruh nilai dengan "
        "tanda kutip ganda",
        False,
    ),
    (
        "could not find expected ':'",
        "baris ini bukan pasangan 'kunci: nilai'; tambahkan ':' setelah nama kunci. Jika ini "
        "sudah isi rilis, tutup front matter dengan baris '---' sebelum isi",
        False,
    ),
    (
        "did not find expected key",
        "indentasi tidak rata; setiap kunci utama dimulai di kolom pertama, kunci di dalamnya "
        "diindentasi sama rata dengan spasi",
        False,
    ),
    (
        "expected ',' or ']'",
        "daftar [ … ] tidak ditutup dengan ']' atau itemnya tidak dipisah koma",
        True,
    ),
)


_KEY_LINE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*:(?:\s|$)")


def _earlier_culprit(text: str, mark: yaml.Mark) -> tuple[tuple[int, int], str] | None:
    """PyYAML often notices a slip one line late: a double-quoted value may run over lines,
    so a quote left open swallows the next key; a line that is not ``key: value`` joins the
    next. When the line PyYAML points at is a good ``key:`` line, the slip is above it."""
    lines = text.split("\n")
    if not 0 < mark.line < len(lines) or not _KEY_LINE_RE.match(lines[mark.line]):
        return None
    for index in range(mark.line - 1, -1, -1):
        previous = lines[index]
        if previous.replace('\\"', "").count('"') % 2 == 1:
            column = (
                previous.rindex('"') if previous.rstrip().endswith('"') else previous.index('"')
            )
            return (index, column + 1), (
                "tanda kutip ganda pada baris ini tidak ditutup (atau ada tanda kutip ganda di "
                "dalam nilai); tutup nilai dengan tanda kutip pada baris yang sama, dan tulis "
                "kutip di dalam nilai sebagai kutip tunggal"
            )
        if previous.strip() and not previous.startswith((" ", "\t", "#", "-")):
            if not _KEY_LINE_RE.match(previous):
                return (index, 1), (
                    "baris ini bukan pasangan 'kunci: nilai'; tambahkan ':' setelah nama kunci, "
                    "atau jika ini lanjutan teks, gabungkan dengan baris sebelumnya"
                )
            return None
    return None


def _hint(exc: yaml.MarkedYAMLError) -> tuple[str, bool]:
    """What to do about a YAML syntax error, in the contributor's words, and where to point."""
    problem = exc.problem or ""
    context = exc.context or ""
    for needle, hint, at_context in _HINTS:
        if needle in problem or needle in context:
            return (
                f"{hint} (YAML: {problem or context})",
                at_context and exc.context_mark is not None,
            )
    return problem or context or "tidak dapat dibaca", False


def _finish(
    node: Node | None, offset: int, path: str, problems: list[Diagnostic]
) -> tuple[YamlValue | None, list[Diagnostic]]:
    if node is None:
        return None, problems
    try:
        return _convert(node, offset, path, problems), problems
    except _Refused as refused:
        problems.append(Diagnostic(path, refused.line, refused.col, refused.code, refused.message))
        return None, problems


#: PyYAML built with libyaml (the wheels are); without it the pure-Python reader does it all.
_HAVE_LIBYAML: bool = bool(getattr(yaml, "__with_libyaml__", False))

if _HAVE_LIBYAML:
    from yaml._yaml import CParser

    class _FastLoader(CParser, BaseConstructor, _Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            BaseConstructor.__init__(self)
            _Resolver.__init__(self)


def _fast_compose(text: str) -> tuple[bool, Node | None]:
    """``(True, node graph)`` composed by libyaml (about 25× faster), or ``(False, None)``.

    libyaml resolves aliases silently, so any text that could hold an anchor or an alias
    (``&``/``*`` anywhere) and any text libyaml rejects is left to the pure-Python reader,
    which reports the problem with its exact position and our own wording.
    """
    if not _HAVE_LIBYAML or "&" in text or "*" in text:
        return False, None
    loader = _FastLoader(text)
    try:
        node: Node | None = loader.get_single_node()
    except yaml.YAMLError:
        return False, None
    finally:
        loader.dispose()
    return True, node


def _position(node: Node, offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + offset, node.start_mark.column + 1


def _convert(node: Node, offset: int, path: str, problems: list[Diagnostic]) -> YamlValue:
    line, col = _position(node, offset)
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(
            line,
            col,
            "YAML002",
            f"tag YAML '{node.tag}' tidak diizinkan; tulis nilainya sebagai teks biasa",
        )
    if isinstance(node, ScalarNode):
        # The file's own bytes were checked (sources.py); an escape in a quoted string
        # ("\\e", "\\u202e") can still produce a control or bidi character.
        if node.style == '"':
            problems.extend(
                decoded_character_problems(str(node.value), path, line, col, "kode escape YAML")
            )
        return Scalar(str(node.value), line, col, not node.style)
    if isinstance(node, SequenceNode):
        return Sequence(tuple(_convert(n, offset, path, problems) for n in node.value), line, col)
    assert isinstance(node, MappingNode)
    entries: list[Entry] = []
    seen: dict[str, tuple[int, int]] = {}
    for key_node, value_node in node.value:
        key_line, key_col = _position(key_node, offset)
        if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
            raise _Refused(key_line, key_col, "YAML005", "kunci harus berupa teks sederhana")
        key = str(key_node.value)
        if key == "<<":
            raise _Refused(key_line, key_col, "YAML003", "penggabungan '<<' tidak diizinkan")
        if key in seen:
            first_line, first_col = seen[key]
            problems.append(
                Diagnostic(
                    path,
                    key_line,
                    key_col,
                    "YAML004",
                    f"kunci '{key}' ditulis dua kali; pertama kali di baris {first_line} "
                    f"kolom {first_col}. Hapus salah satunya",
                )
            )
            continue
        seen[key] = (key_line, key_col)
        entries.append(Entry(key, key_line, key_col, _convert(value_node, offset, path, problems)))
    return Mapping(tuple(entries), line, col)


class _AnchorError(yaml.MarkedYAMLError):
    """An anchor or alias, reported as YAML003 rather than a syntax error."""


def _compose_node(self: _Loader, parent: Node | None, index: object) -> Node:
    # Anchors and aliases let one value stand in many places (and "billion laughs" blow-ups);
    # a release never needs them, so refuse both before the node is built.
    from yaml.events import AliasEvent

    event = self.peek_event()  # type: ignore[no-untyped-call]
    if isinstance(event, AliasEvent):
        mark = event.start_mark
        raise _AnchorError(
            problem="alias YAML ('*…') tidak diizinkan; tulis nilainya langsung",
            problem_mark=mark,  # type: ignore[arg-type]
        )
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise _AnchorError(
            problem=f"anchor YAML ('&{anchor}') tidak diizinkan; tulis nilainya langsung",
            problem_mark=event.start_mark,
        )
    node: Node = Composer.compose_node(self, parent, index)  # type: ignore[arg-type,assignment]
    return node


_Loader.compose_node = _compose_node  # type: ignore[assignment,method-assign]


def describe(value: YamlValue) -> str:
    """A short Indonesian name for what a value is, for "Expected … but received …"."""
    if isinstance(value, Mapping):
        return "daftar kunci (mapping)"
    if isinstance(value, Sequence):
        return "daftar (list)"
    return f"teks '{value.value}'" if len(value.value) <= 40 else "teks"
