"""Problems found in a contributor's files, reported as ``path:line:col: CODE message``.

Office staff read these messages in a terminal or as annotations on their pull request, so
every problem names the file (relative to the repository root), the 1-based line and column
where it is, a stable code they can look up in the contributor guide, and a sentence in plain
language that says what to change.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file.

    ``path`` is POSIX and relative to the repository root; ``line`` and ``col`` count from 1.
    Ordering is by place, so a sorted list reads top to bottom, file by file.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """``path:line:col: CODE message`` (warnings are marked so in the message)."""
        prefix = "" if self.severity is Severity.ERROR else "peringatan: "
        return _visible(f"{self.path}:{self.line}:{self.col}: {self.code} {prefix}{self.message}")

    def github_annotation(self) -> str:
        """The GitHub Actions workflow command that puts this problem on the PR's line."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        # Workflow-command data must escape %, CR and LF; properties also escape : and ,.
        message = _escape_data(f"{self.code} {self.message}")
        path = _escape_property(self.path)
        return f"::{kind} file={path},line={self.line},col={self.col},title={self.code}::{message}"


_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    """One problem, one line: a value quoted in a message (a title, a category) may hold line
    breaks or controls; shown escaped (``\\n``), so that no part of it can pass for another
    line of output, such as a workflow command (``::error …``) in a CI log."""
    return _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], text)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


class DiagnosticSink:
    """Collects problems while a stage runs, so that all of them are reported at once."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, path: str, line: int, col: int, code: str, message: str) -> None:
        self._items.append(Diagnostic(path, max(line, 1), max(col, 1), code, message))

    def warning(self, path: str, line: int, col: int, code: str, message: str) -> None:
        self._items.append(
            Diagnostic(path, max(line, 1), max(col, 1), code, message, Severity.WARNING)
        )

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    @property
    def items(self) -> tuple[Diagnostic, ...]:
        return tuple(sorted(set(self._items)))

    def has_errors(self) -> bool:
        return has_errors(self._items)


class PortalError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback and exits ``exit_code``."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = tuple(diagnostics)

    def format(self) -> str:
        lines = [d.format() for d in self.diagnostics]
        lines.append(self.message)
        return "\n".join(lines)


class ValidationFailed(PortalError):
    """The content has errors; nothing was written."""


class UsageError(PortalError):
    """The command was called wrongly (unknown region, file exists, bad option)."""

    exit_code = 2
