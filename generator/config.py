"""Settings of the portal: one typed, validated object shared by the plugin and the CLI.

The single source is the ``portal`` plugin's block in ``mkdocs.yml``; MkDocs validates it with
``config_options`` (so a wrong value says "Expected … but received …"), and ``Settings`` is the
frozen, MkDocs-independent view the pipeline stages receive.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .diagnostics import UsageError


class PortalPluginConfig(Config):
    """The ``plugins: - portal:`` options in ``mkdocs.yml``."""

    content_dir = c.Type(str, default="content")
    regions_dir = c.Type(str, default="regions")
    #: Items per feed (newest first).
    feed_items = c.Type(int, default=50)
    #: Releases per listing page.
    page_size = c.Type(int, default=20)
    #: Team that owns everything outside ``content/<region>/`` in CODEOWNERS.
    central_team = c.Type(str, default="@portal-nasional/tim-pusat")
    #: Fixed build time (ISO 8601 with offset) for embargo decisions; else SOURCE_DATE_EPOCH,
    #: else the current time.
    build_time = c.Optional(c.Type(str))
    cache_dir = c.Type(str, default=".cache/portal")
    #: Build (and update) the search index under cari/indeks/.
    search = c.Type(bool, default=True)
    #: Limits that protect the build from a single oversized contribution.
    max_release_bytes = c.Type(int, default=200_000)
    max_image_bytes = c.Type(int, default=500_000)


@dataclass(frozen=True)
class Settings:
    root: Path
    site_name: str
    site_url: str
    content_dir: str = "content"
    regions_dir: str = "regions"
    feed_items: int = 50
    page_size: int = 20
    central_team: str = "@portal-nasional/tim-pusat"
    build_time: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    cache_dir: str = ".cache/portal"
    search: bool = True
    max_release_bytes: int = 200_000
    max_image_bytes: int = 500_000

    @property
    def base_url(self) -> str:
        """``site_url`` with exactly one trailing slash (empty when not configured)."""
        return self.site_url.rstrip("/") + "/" if self.site_url else ""


def resolve_build_time(value: str | None, environ: dict[str, str] | None = None) -> datetime:
    """The moment embargoes are judged against: option, then SOURCE_DATE_EPOCH, then now.

    This is the only "now" in the pipeline, and no page or feed prints it.
    """
    env = os.environ if environ is None else environ
    if value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise UsageError(
                f"build_time: Expected an ISO 8601 time with offset but received {value!r}"
            ) from exc
        if moment.tzinfo is None:
            raise UsageError(f"build_time: Expected a UTC offset but received {value!r}")
        return moment.astimezone(UTC)
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except ValueError as exc:
            raise UsageError(
                f"SOURCE_DATE_EPOCH: Expected whole seconds since 1970 but received {epoch!r}"
            ) from exc
    return datetime.now(tz=UTC).replace(microsecond=0)


def settings_from_plugin(
    root: Path, site_name: str, site_url: str | None, options: PortalPluginConfig
) -> Settings:
    return Settings(
        root=root,
        site_name=site_name,
        site_url=site_url or "",
        content_dir=options.content_dir,
        regions_dir=options.regions_dir,
        feed_items=options.feed_items,
        page_size=options.page_size,
        central_team=options.central_team,
        build_time=resolve_build_time(options.build_time),
        cache_dir=options.cache_dir,
        search=options.search,
        max_release_bytes=options.max_release_bytes,
        max_image_bytes=options.max_image_bytes,
    )


def load_settings(config_file: Path) -> Settings:
    """Settings for the CLI, read from ``mkdocs.yml`` through MkDocs' own validation."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.is_file():
        raise UsageError(f"{config_file}: berkas konfigurasi tidak ditemukan")
    try:
        config = load_config(str(config_file))
    except ConfigurationError as exc:
        raise UsageError(f"{config_file}: konfigurasi tidak sah: {exc}") from exc
    plugin = config.plugins.get("portal")
    options = getattr(plugin, "config", None)
    if not isinstance(options, PortalPluginConfig):
        raise UsageError(f"{config_file}: plugin 'portal' tidak diaktifkan di 'plugins'")
    return settings_from_plugin(
        config_file.parent.resolve(), config.site_name, config.site_url, options
    )
