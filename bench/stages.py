"""One real ``mkdocs build`` of the portal in the current folder, with the wall time of each
stage of the ``portal`` plugin on stderr: where a build's time goes.

    cd <portal repository> && /path/to/.venv/bin/python -m bench.stages [mkdocs build options]

The stages are wrapped, not changed: the build and its output are those of ``mkdocs build``.
Nested stages are printed when they end, each with the time since the start.
"""

from __future__ import annotations

import functools
import inspect
import sys
import time
from collections.abc import Callable
from typing import Any

from generator import feeds, pipeline, plugin, search

#: (owner, attribute) of every stage timed, in pipeline order.
STAGES: tuple[tuple[Any, str], ...] = (
    (plugin.PortalPlugin, "_scan_sources"),
    (pipeline, "validate_sources"),
    (plugin.PortalPlugin, "_plan_edit"),
    (plugin.PortalPlugin, "on_config"),
    (plugin.PortalPlugin, "on_files"),
    (plugin.PortalPlugin, "_page_keys"),
    (feeds, "contents_needed"),
    (plugin.PortalPlugin, "_place_images"),
    (plugin.PortalPlugin, "_write_detached_pages"),
    (feeds, "build_feeds"),
    (plugin.PortalPlugin, "_search_index"),
    (search, "update_index"),
    (plugin.PortalPlugin, "_prepare"),
    (plugin.PortalPlugin, "_publish"),
    (plugin.PortalPlugin, "_publish_edit"),
    (plugin.PortalPlugin, "on_post_build"),
)


def _timed(function: Callable[..., Any], label: str, started: float) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        begun = time.monotonic()
        try:
            return function(*args, **kwargs)
        finally:
            now = time.monotonic()
            print(
                f"{label:24s} {now - begun:7.2f} s   (ends at {now - started:6.2f} s)",
                file=sys.stderr,
            )

    return timed


def main(argv: list[str]) -> None:
    started = time.monotonic()
    for owner, name in STAGES:
        static = isinstance(inspect.getattr_static(owner, name), staticmethod)
        timed = _timed(getattr(owner, name), name, started)
        setattr(owner, name, staticmethod(timed) if static else timed)
    from mkdocs.__main__ import cli

    try:
        cli(["build", *argv])
    finally:
        print(f"{'total':24s} {time.monotonic() - started:7.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
