"""Reading contributor files safely: the checks every text source passes before it is parsed.

A file that is a symlink, too large, binary, not UTF-8, or that carries control or bidi
override characters ("Trojan Source") is reported with the exact line and column of the
first offending byte or character, and is never parsed further.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic

#: Characters that reorder text on screen and can make a reviewer read something else
#: than what is published (CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
# C0 and C1 controls except tab, line feed and carriage return, plus the bidi controls; one
# regular expression so that scanning a large archive stays in C.
_FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]"
)
#: In a value after decoding (a YAML escape such as "\\e" or "\\u202e", a character reference
#: such as ``&#27;``) also carriage returns, line and paragraph separators, surrogates and
#: non-characters: none belongs in a title or a body, and XML (the feeds) forbids some.
_FORBIDDEN_DECODED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(sorted(BIDI_CONTROLS))
    + "]"
)


def decoded_character_problems(
    value: str, rel_path: str, line: int, col: int, how: str
) -> list[Diagnostic]:
    """FILE006/FILE007 for characters that only appear once ``value`` is decoded (``how``
    says how they were written), reported at the place the value is written."""
    problems = []
    for char in sorted(set(_FORBIDDEN_DECODED.findall(value))):
        code, what = (
            ("FILE006", "karakter pengatur arah teks")
            if char in BIDI_CONTROLS
            else ("FILE007", "karakter kontrol")
        )
        problems.append(
            Diagnostic(
                rel_path,
                line,
                col,
                code,
                f"{what} U+{ord(char):04X} (ditulis sebagai {how}) tidak diizinkan; hapus",
            )
        )
    return problems


@dataclass(frozen=True)
class SourceText:
    rel_path: str
    text: str
    data: bytes


def line_col(data: bytes | str, index: int) -> tuple[int, int]:
    """1-based line and column of ``index`` in ``data`` (columns count characters)."""
    head = data[:index]
    if isinstance(head, bytes):
        line = head.count(b"\n") + 1
        start = head.rfind(b"\n") + 1
        col = len(head[start:].decode("utf-8", errors="replace")) + 1
        return line, col
    line = head.count("\n") + 1
    return line, index - (head.rfind("\n") + 1) + 1


def byte_count(count: int) -> str:
    """``1.234.567``: Indonesian groups thousands with a period."""
    return f"{count:,}".replace(",", ".")


def read_bytes_nofollow(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``, refusing to follow a symlink swapped in between
    the check and the read (``O_NOFOLLOW``)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        return handle.read(limit)


def read_source(
    path: Path, rel_path: str, *, max_bytes: int
) -> tuple[SourceText | None, list[Diagnostic]]:
    """Read ``path`` as a contributor's text file, or say why it cannot be used."""
    problems: list[Diagnostic] = []
    try:
        info = path.lstat()
    except OSError as exc:
        return None, [
            Diagnostic(rel_path, 1, 1, "FILE001", f"berkas tidak dapat dibaca: {exc.strerror}")
        ]
    if stat.S_ISLNK(info.st_mode):
        return None, [
            Diagnostic(
                rel_path,
                1,
                1,
                "FILE002",
                "berkas ini adalah symlink; symlink tidak diikuti demi keamanan. "
                "Ganti dengan berkas biasa",
            )
        ]
    if not stat.S_ISREG(info.st_mode):
        return None, [Diagnostic(rel_path, 1, 1, "FILE001", "bukan berkas biasa")]
    if info.st_size > max_bytes:
        return None, [
            Diagnostic(
                rel_path,
                1,
                1,
                "FILE003",
                f"berkas terlalu besar ({byte_count(info.st_size)} bita); batasnya "
                f"{byte_count(max_bytes)} bita; kecilkan isinya (rilis panjang dapat dipecah)",
            )
        ]
    try:
        data = read_bytes_nofollow(path, max_bytes + 1)
    except OSError as exc:
        return None, [
            Diagnostic(rel_path, 1, 1, "FILE001", f"berkas tidak dapat dibaca: {exc.strerror}")
        ]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = line_col(data, nul)
        return None, [
            Diagnostic(
                rel_path,
                line,
                col,
                "FILE004",
                "berkas biner atau berisi karakter NUL; simpan sebagai teks UTF-8 biasa",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(data, exc.start)
        return None, [
            Diagnostic(
                rel_path,
                line,
                col,
                "FILE005",
                f"bita 0x{data[exc.start]:02X} bukan UTF-8 yang sah; simpan berkas dengan "
                "pengodean UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM is harmless; editors on Windows add it
    problems.extend(_character_problems(text, rel_path))
    if problems:
        return None, problems
    # Windows (CRLF) and old Mac (CR alone) line endings both read as line feeds.
    return SourceText(rel_path, text.replace("\r\n", "\n").replace("\r", "\n"), data), []


def _character_problems(text: str, rel_path: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for match in _FORBIDDEN_CHARACTERS.finditer(text):
        char = match.group()
        line, col = line_col(text, match.start())
        if char in BIDI_CONTROLS:
            problems.append(
                Diagnostic(
                    rel_path,
                    line,
                    col,
                    "FILE006",
                    f"karakter pengatur arah teks U+{ord(char):04X} tidak diizinkan "
                    "(dapat menyamarkan isi); hapus karakter ini",
                )
            )
        else:
            problems.append(
                Diagnostic(
                    rel_path,
                    line,
                    col,
                    "FILE007",
                    f"karakter kontrol U+{ord(char):04X} tidak diizinkan; hapus karakter ini",
                )
            )
    return problems
