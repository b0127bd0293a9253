"""``portal codeowners``: CODEOWNERS from the registry, deterministic, central-team fallback."""

from __future__ import annotations

import pytest
from conftest import REPO, PortalRepo

from generator.codeowners import render_codeowners, write_codeowners
from generator.config import load_settings
from generator.diagnostics import ValidationFailed


def add_maintainers(repo: PortalRepo, region_id: str, *names: str) -> None:
    path = repo.root / "regions" / f"{region_id}.yml"
    text = path.read_text(encoding="utf-8").replace("maintainers: []\n", "")
    text += "maintainers:\n" + "".join(f"- '{name}'\n" for name in names)
    path.write_text(text, encoding="utf-8")


def owners(text: str) -> dict[str, str]:
    rules = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            pattern, _, who = line.partition(" ")
            rules[pattern] = who
    return rules


def test_regions_map_to_their_maintainers_and_fall_back_to_the_central_team(
    portal_repo: PortalRepo,
) -> None:
    add_maintainers(portal_repo, "kota-bandung", "@humas-bandung", "@pemkot-bandung/humas")
    path = write_codeowners(portal_repo.settings())
    assert path == portal_repo.root / ".github" / "CODEOWNERS"
    rules = owners(path.read_text(encoding="utf-8"))
    central = "@portal-nasional/tim-pusat"
    assert rules["/content/kota-bandung/"] == "@humas-bandung @pemkot-bandung/humas"
    assert rules["/content/kota-makassar/"] == central
    for shared in ("*", "/regions/", "/generator/", "/.github/", "/mkdocs.yml"):
        assert rules[shared] == central
    assert rules["/content/categories.yml"] == central
    lines = path.read_text(encoding="utf-8").splitlines()
    # GitHub applies the last matching rule: the catch-all must come first
    assert lines.index(f"* {central}") < lines.index(f"/regions/ {central}")


def test_output_is_deterministic_and_configurable(portal_repo: PortalRepo) -> None:
    first = write_codeowners(portal_repo.settings()).read_bytes()
    assert write_codeowners(portal_repo.settings()).read_bytes() == first
    other = render_codeowners(portal_repo.settings(central_team="@pemerintah/humas-pusat"))
    assert owners(other)["/regions/"] == "@pemerintah/humas-pusat"


def test_invalid_registry_writes_nothing(portal_repo: PortalRepo) -> None:
    (portal_repo.root / "regions" / "kota-bandung.yml").write_text(
        "id: kota-bandung\nkode: x\n", encoding="utf-8"
    )
    with pytest.raises(ValidationFailed):
        write_codeowners(portal_repo.settings())
    assert not (portal_repo.root / ".github" / "CODEOWNERS").exists()


def test_committed_codeowners_is_up_to_date() -> None:
    committed = REPO / ".github" / "CODEOWNERS"
    if not committed.exists():
        pytest.skip("CODEOWNERS not generated yet (run `portal codeowners`)")
    settings = load_settings(REPO / "mkdocs.yml")
    assert committed.read_text(encoding="utf-8") == render_codeowners(settings)
