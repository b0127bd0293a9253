"""What a branch changed: the files added, modified or deleted since it left a git ref.

``portal check --changed-from`` and ``portal summary --changed-from`` both ask this, so that
the check and the pull request's job summary always talk about the same files.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import UsageError


@dataclass(frozen=True)
class Change:
    """One changed path relative to the portal root; ``status`` is ``A``, ``M`` or ``D``."""

    path: str
    status: str


def git(root: Path, *args: str) -> str:
    """Run git in ``root``; a failure is a user error naming git's own last line."""
    try:
        completed = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise UsageError(f"git tidak dapat dijalankan: {exc.strerror}") from exc
    if completed.returncode != 0:
        detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = detail[-1] if detail else f"kode keluar {completed.returncode}"
        raise UsageError(f"git {args[0]} gagal: {reason}")
    # A file name that is not UTF-8 is shown with U+FFFD (the check reports it as an error).
    return completed.stdout.decode("utf-8", "replace")


def changes_since(root: Path, ref: str) -> tuple[Change, ...]:
    """Paths added, modified or deleted since the merge base of ``ref`` and HEAD, including
    uncommitted and untracked files of the working tree, sorted by path.

    This is ``git diff REF...HEAD`` plus the working tree: the diff runs from the merge base to
    the working tree, so a pull request is compared with the point it branched from and not
    with later commits on the base branch. Renames count as a deletion plus an addition,
    because a release's path is its permanent URL.
    """
    if ref.startswith("-"):
        raise UsageError(f"--changed-from: '{ref}' bukan nama ref git")
    merge_base = git(root, "merge-base", ref, "HEAD").strip()
    if not merge_base:
        raise UsageError(f"--changed-from {ref}: tidak ada leluhur bersama dengan HEAD")
    statuses: dict[str, str] = {}
    # --relative: paths relative to the portal's root, which may be a sub-folder of the work
    # tree (``ls-files`` below is relative to it already).
    diff = git(root, "diff", "--name-status", "--no-renames", "--relative", "-z", merge_base, "--")
    fields = diff.split("\0")
    for status, path in zip(fields[0::2], fields[1::2], strict=False):
        if path:
            statuses[path] = "D" if status.startswith("D") else "A" if status == "A" else "M"
    for path in git(root, "ls-files", "--others", "--exclude-standard", "-z").split("\0"):
        if path:
            statuses[path] = "A"
    return tuple(Change(path, statuses[path]) for path in sorted(statuses))
