"""The category vocabulary, ``content/categories.yml`` (CAT0xx)."""

from __future__ import annotations

import pytest
from conftest import REPO, PortalRepo

from generator.config import load_settings
from generator.taxonomy import load_categories

CATEGORIES = "content/categories.yml"


def write(repo: PortalRepo, text: str) -> None:
    (repo.root / CATEGORIES).write_text(text, encoding="utf-8")


def test_repository_vocabulary_loads_in_file_order() -> None:
    categories, problems = load_categories(load_settings(REPO / "mkdocs.yml"))
    assert problems == []
    assert list(categories)[:2] == ["pemerintahan", "kesehatan"]
    assert categories["kesehatan"].label == "Kesehatan"
    assert categories["kesehatan"].url == "kategori/kesehatan/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Olahraga:\n  label: Olahraga\n", {("CAT003", 1, 1)}),
        ("olahraga:\n  lable: Olahraga\n", {("CAT004", 2, 3), ("CAT005", 1, 1)}),
        ("olahraga:\n  label: ''\n", {("CAT005", 2, 3)}),
        ("olahraga: Olahraga\n", {("CAT002", 1, 1)}),
        ("- olahraga\n", {("CAT002", 1, 1)}),
        ("", {("CAT002", 1, 1)}),
        ("a:\n  label: x\na:\n  label: y\n", {("YAML004", 3, 1)}),
        ("a:\n  label: !!python/name:os.system x\n", {("YAML002", 2, 10)}),
    ],
)
def test_vocabulary_problems(portal_repo: PortalRepo, text: str, expected: set[object]) -> None:
    write(portal_repo, text)
    _, problems = load_categories(portal_repo.settings())
    assert {(d.code, d.line, d.col) for d in problems} == expected
    assert all(d.path == CATEGORIES for d in problems)


def test_missing_vocabulary(portal_repo: PortalRepo) -> None:
    (portal_repo.root / CATEGORIES).unlink()
    categories, problems = load_categories(portal_repo.settings())
    assert categories == {} and [d.code for d in problems] == ["CAT001"]


def test_unknown_key_suggestion(portal_repo: PortalRepo) -> None:
    write(portal_repo, "olahraga:\n  label: Olahraga\n  deskripsi: x\n")
    _, problems = load_categories(portal_repo.settings())
    assert [d.code for d in problems] == ["CAT004"]
    assert "description" in problems[0].message
