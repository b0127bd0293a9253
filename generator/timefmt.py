"""Dates and times as the Indonesian public reads them, in the publishing region's own zone."""

from __future__ import annotations

from datetime import date, datetime

from .model import ZONE_LABELS

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def zone_label(moment: datetime) -> str:
    """WIB/WITA/WIT for an aware datetime in one of Indonesia's IANA zones (else ±HH:MM)."""
    key = getattr(moment.tzinfo, "key", None)
    if isinstance(key, str) and key in ZONE_LABELS:
        return ZONE_LABELS[key]
    offset = moment.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return {7: "WIB", 8: "WITA", 9: "WIT"}.get(hours, moment.strftime("UTC%z"))


def format_date(day: date) -> str:
    """``18 Mei 2019``."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def format_datetime(moment: datetime) -> str:
    """``Sabtu, 18 Mei 2019 16.30 WIB`` (Indonesian style: period between hour and minute)."""
    return (
        f"{HARI[moment.weekday()]}, {format_date(moment.date())} "
        f"{moment:%H}.{moment:%M} {zone_label(moment)}"
    )


def format_month(year: int, month: int) -> str:
    """``Mei 2019``."""
    return f"{BULAN[month - 1]} {year}"
