"""Theme shells (generator.shell): generated pages filled into a shell rendered once per group
are byte-identical to MkDocs' own page loop, and any theme the shells cannot stand in for is
rendered page by page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_incremental import build_site, tree_digest, write_portal

from generator import shell
from generator.plugin import PortalPlugin
from generator.shell import CONTENT_SENTINEL, HEAD_SENTINEL, TITLE_SENTINEL, Shell


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Wrap ``owner.name`` to count its calls in this process (builds run serially here)."""
    calls = [0]
    original: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def mkdocs_own_loop(repo_root: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same site with every page rendered by MkDocs itself, one after another."""
    shutil.rmtree(repo_root / ".cache", ignore_errors=True)
    with monkeypatch.context() as patch:
        patch.setattr(PortalPlugin, "render_outside_mkdocs", False)
        return build_site(repo_root, site)


def test_pages_from_shells_equal_mkdocs_own_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_JOBS", "1")
    repo = write_portal(tmp_path / "repo")
    # Every character the title escape changes, in a title, a tag and a region page's text.
    repo.write_release(
        "kota-pontianak",
        "2024-07-01 09:00",
        "tanda-baca",
        title="'Rapat & Sidang 1 < 2 > 0 \"Humas\" di Pontianak''s Hall'",
        tags="[a-b, c]",
    )
    filled = count_calls(monkeypatch, Shell, "fill")
    fallback = count_calls(monkeypatch, shell, "_build_page")
    ours = tree_digest(build_site(repo.root, tmp_path / "ours"))
    pages = sum(1 for path in ours if path.endswith("index.html"))
    # Nearly every page came from a shell: a few groups were learned, none fell back.
    assert fallback[0] == 0
    assert filled[0] > pages * 3 // 4
    theirs = tree_digest(mkdocs_own_loop(repo.root, tmp_path / "theirs", monkeypatch))
    assert ours == theirs


def test_a_theme_printing_the_page_address_or_a_transformed_title_gets_no_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partial that prints what a shell cannot carry: each page is rendered by the theme."""
    monkeypatch.setenv("PORTAL_JOBS", "1")
    repo = write_portal(tmp_path / "repo")
    config = repo.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  font: false\n", "  font: false\n  custom_dir: overrides\n"
        ),
        encoding="utf-8",
    )
    partials = repo.root / "overrides" / "partials"
    partials.mkdir(parents=True)
    (partials / "footer.html").write_text(
        '<footer><a href="/{{ page.url }}">{{ page.title | urlencode }}</a></footer>\n',
        encoding="utf-8",
    )
    filled = count_calls(monkeypatch, Shell, "fill")
    fallback = count_calls(monkeypatch, shell, "_build_page")
    ours = build_site(repo.root, tmp_path / "ours")
    page = (ours / "kota-bandung/2024/2024-05-18-rapat-koordinasi/index.html").read_text()
    assert '<a href="/kota-bandung/2024/2024-05-18-rapat-koordinasi/">Rapat%20Koordinasi' in page
    assert fallback[0] > 50
    # Fills are only the checks of each group's first page; none is kept.
    assert filled[0] <= 2
    theirs = mkdocs_own_loop(repo.root, tmp_path / "theirs", monkeypatch)
    assert tree_digest(ours) == tree_digest(theirs)


@pytest.mark.parametrize(
    ("rendered", "kept"),
    [
        (f"<title>{shell._SLOT_RE.pattern}</title>", False),  # nothing like a sentinel at all
        (f"<h1>{TITLE_SENTINEL}</h1>{HEAD_SENTINEL}{CONTENT_SENTINEL}", False),  # raw title
        (f"<a href='/x/y/'>{HEAD_SENTINEL}</a>", False),  # the page's own address
        (f"<t>{shell.escape(TITLE_SENTINEL)}</t>{HEAD_SENTINEL}<m>{CONTENT_SENTINEL}</m>", True),
    ],
)
def test_a_shell_is_kept_only_when_every_sentinel_has_the_form_its_value_takes(
    rendered: str, kept: bool
) -> None:
    made = Shell.of(rendered, "x/y/")
    assert (made is not None) is kept
    if made is not None:
        assert made.fill("A & <B>", "<meta>", "<p>isi</p>") == (
            "<t>A &amp; &lt;B&gt;</t><meta><m><p>isi</p></m>"
        )
