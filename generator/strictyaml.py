"""A deliberately small YAML reader for front matter and the region registry.

PyYAML implements YAML 1.1, where ``NO`` is a boolean, ``012345`` an octal number and
``12:30`` a sexagesimal integer, and where tags (``!!python/object``), anchors and aliases are
allowed. None of that belongs in a press release. This module composes the YAML node graph
(so every value keeps its line and column), refuses tags, anchors, aliases and duplicate keys,
and hands back *every scalar as a string*: the schema that reads the tree decides what a value
means and says so when it cannot (``draft: NO`` is an error, never a silent ``False``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import yaml
from yaml.composer import Composer
from yaml.constructor import BaseConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .diagnostics import Diagnostic

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


YamlValue = Union[Scalar, Sequence, Mapping]


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
    loader = _Loader(text)
    problems: list[Diagnostic] = []
    try:
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + offset
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "tidak dapat dibaca"
        if isinstance(exc, _AnchorError):
            problems.append(Diagnostic(path, line, col, "YAML003", problem))
            return None, problems
        if "found character '\\t'" in problem:
            problem = "karakter tab tidak boleh dipakai untuk indentasi YAML; gunakan spasi"
        problems.append(Diagnostic(path, line, col, "YAML001", f"YAML tidak valid: {problem}"))
        return None, problems
    except yaml.YAMLError as exc:  # reader errors (e.g. non-printable characters)
        problems.append(Diagnostic(path, 1 + offset, 1, "YAML001", f"YAML tidak valid: {exc}"))
        return None, problems
    if node is None:
        return None, problems
    try:
        return _convert(node, offset, path, problems), problems
    except _Refused as refused:
        problems.append(Diagnostic(path, refused.line, refused.col, refused.code, refused.message))
        return None, problems


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
        return Scalar(str(node.value), line, col, node.style is None)
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

    event = self.peek_event()
    if isinstance(event, AliasEvent):
        mark = event.start_mark
        raise _AnchorError(
            problem="alias YAML ('*…') tidak diizinkan; tulis nilainya langsung",
            problem_mark=mark,
        )
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise _AnchorError(
            problem=f"anchor YAML ('&{anchor}') tidak diizinkan; tulis nilainya langsung",
            problem_mark=event.start_mark,
        )
    node: Node = Composer.compose_node(self, parent, index)  # type: ignore[arg-type]
    return node


_Loader.compose_node = _compose_node  # type: ignore[assignment,method-assign]


def describe(value: YamlValue) -> str:
    """A short Indonesian name for what a value is, for "Expected … but received …"."""
    if isinstance(value, Mapping):
        return "daftar kunci (mapping)"
    if isinstance(value, Sequence):
        return "daftar (list)"
    return f"teks '{value.value}'" if len(value.value) <= 40 else "teks"
