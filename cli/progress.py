"""The progress of a long command on stderr: one tqdm bar per step."""

from __future__ import annotations

import sys

from tqdm import tqdm


class Progress:
    """A `progress(step, done, total)` callback drawing one tqdm bar per step."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None
        self._step: str | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self._step:
            self.close()
            self._step = step
            self._bar = tqdm(
                total=total,
                desc=f"{step:<12}",
                unit="row" if total > 100 else "step",
                unit_scale=True,
                file=sys.stderr,
                leave=True,
            )
        assert self._bar is not None
        self._bar.total = total
        self._bar.n = done
        self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
