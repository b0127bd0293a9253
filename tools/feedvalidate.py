"""Run the W3C Feed Validator over the built feeds, as the online service judges them.

The validator (w3c/feedvalidator, main branch, which runs on Python 3) is not part of this
repository; clone it and point FEEDVALIDATOR_SRC at its ``src`` folder.

usage: FEEDVALIDATOR_SRC=/path/to/feedvalidator/src python tools/feedvalidate.py SITE BASE_URL [FILE...]

Every ``feeds/**`` ``.xml``, ``.atom`` and ``.opml`` file is validated by default; errors and
warnings at compatibility level AA (``FV_LEVEL`` to change) are printed; exit 1 if any.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("FEEDVALIDATOR_SRC", "feedvalidator/src"))

import feedvalidator  # noqa: E402
from feedvalidator import compatibility  # noqa: E402
from feedvalidator.formatter.text_plain import Formatter  # noqa: E402

CONTENT_TYPES = {
    ".xml": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".opml": "text/x-opml",
}


def main(argv: list[str]) -> int:
    site, base = Path(argv[1]), argv[2]
    paths = [Path(p) for p in argv[3:]] or sorted(
        p for p in (site / "feeds").rglob("*") if p.suffix in CONTENT_TYPES
    )
    level = getattr(compatibility, os.environ.get("FV_LEVEL", "AA"))
    failed = 0
    for path in paths:
        rel = path.relative_to(site).as_posix()
        try:
            result = feedvalidator.validateStream(
                io.BytesIO(path.read_bytes()),
                firstOccurrenceOnly=0,
                contentType=CONTENT_TYPES[path.suffix] + "; charset=utf-8",
                base=base + rel,
            )
            events = result["loggedEvents"]
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
        events = level(events)
        if events:
            failed += 1
            print("==", rel)
            print("\n".join(Formatter(events)))
    print(f"validated {len(paths)} files; {failed} with errors or warnings")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
