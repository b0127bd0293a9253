"""The pipeline, stage by stage: regions → releases → model. Rendering stages read the model.

Both the MkDocs plugin and the ``portal`` CLI call :func:`load_portal`; nothing is written
until every source has been read and validated.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from .config import Settings
from .diagnostics import Diagnostic, has_errors
from .model import Portal, newest_first_key
from .regions import load_regions
from .releases import load_releases
from .taxonomy import load_categories


def validate(
    settings: Settings, only_paths: Sequence[str] | None = None
) -> tuple[Portal | None, list[Diagnostic]]:
    """Load and validate everything; the model is returned only when there is no error.

    ``only_paths`` (repository-relative) limits the detailed checks to those release files,
    while ids and URLs are still checked for uniqueness against the whole archive.
    """
    registry, problems = load_regions(settings.root, settings.regions_dir)
    categories, category_problems = load_categories(settings)
    problems += category_problems
    releases, release_problems = load_releases(
        settings, registry, categories, only_paths=only_paths
    )
    problems += release_problems
    problems.sort()
    if has_errors(problems):
        return None, problems
    public = sorted((r for r in releases if r.is_public(settings.build_time)), key=newest_first_key)
    portal = Portal(
        regions=registry.regions,
        categories=MappingProxyType(dict(categories)),
        releases=tuple(public),
        build_time=settings.build_time,
        site_name=settings.site_name,
        site_url=settings.base_url,
    )
    return portal, problems
