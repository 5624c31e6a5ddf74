"""Progress for long commands: a bar on a terminal, plain lines when not (logs, CI)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(
    items: Iterable[T],
    *,
    total: int | None,
    label: str,
    stream: IO[str] | None = None,
    unit: str = "poster",
) -> Iterator[T]:
    """Yield the items while showing progress on ``stream`` (stderr by default)."""
    stream = stream or sys.stderr
    # A command's OutputWrapper adds a newline to every write; the bar needs the raw stream.
    stream = getattr(stream, "_out", stream)
    if getattr(stream, "isatty", lambda: False)():
        yield from tqdm(
            items,
            total=total,
            desc=label,
            unit=f" {unit}",
            file=stream,
            mininterval=0.2,
            dynamic_ncols=True,
        )
        return
    start = time.monotonic()
    step = max(1, (total or 0) // 10) if total else 10_000
    count = 0
    for item in items:
        count += 1
        if count % step == 0:
            pct = f" ({100 * count // total} %)" if total else ""
            stream.write(
                f"{label}: {count}{'/' + str(total) if total else ''} {unit}{pct}, "
                f"{time.monotonic() - start:.1f} s\n"
            )
            stream.flush()
        yield item
    stream.write(f"{label}: klart, {count} {unit} på {time.monotonic() - start:.1f} s\n")
    stream.flush()
