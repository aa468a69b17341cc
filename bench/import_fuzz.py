"""Import 2,000 generated hostile files (CSV and XLSX) and count what the importer did with each.

Each file is a valid table of KPI values, then benign changes (Thai digits, thousands separators,
CRLF, BOM, UTF-16, CP874 names, blank lines, a title row, XLSX) and none, one or two hostile ones
(a repeated column, a row with a cell too many or too few, a truncated file, "12 34", 1e308, a
negative count, a year 2368, 25680 or 2022, an unknown area or KPI, Latin-1 text, random bytes,
an empty or header-only file, a 200,000-character cell, an XLSX cell at XFD1048576, NaN/INF
cells, a broken shared-string index, text in a number cell). The oracle (tests/fuzz_files.py):
a hostile file must be refused with a message naming the file, writing nothing but a 'failed' log
row; a benign one must import exactly its values. Every file goes into one store, one after
another, so earlier imports are the history later ones are checked against.

Targets: 0 tracebacks, 0 partial writes, 0 silent changes (and 0 hostile files accepted, 0 good
files refused). The baseline beside them: the same files imported as a plain pandas read and
insert would (no checks), counting what it would have stored that the file did not hold.

    python bench/import_fuzz.py [--files 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import machine  # noqa: E402

from data.rules.catalog import get_catalog  # noqa: E402
from data.store.engine import make_engine  # noqa: E402
from data.store.imports import import_values_file  # noqa: E402
from data.store.setup import init_store  # noqa: E402
from fuzz_files import check_outcome, make_file, random_mutations, stored_values  # noqa: E402

KINDS = (
    "traceback",
    "partial write",
    "silent change",
    "accepted a hostile file",
    "refused a good file",
    "unclear message",
)


def naive_outcome(fuzz) -> str:
    """What a plain `pandas.read_csv` / `read_excel` and insert would do with the file: 'crash',
    'refused' (it raised), or 'silent change' when it would store a value the file did not hold
    (or store a hostile file at all)."""
    import pandas as pd

    if "far_cell" in fuzz.hostile:  # pandas would allocate the whole 1,048,576 x 16,384 grid: not run here
        return "out of memory"
    try:
        if fuzz.path.suffix == ".xlsx":
            frame = pd.read_excel(fuzz.path, dtype=str)
        else:
            frame = pd.read_csv(fuzz.path, dtype=str, encoding_errors="replace")
    except Exception:  # noqa: BLE001
        return "refused"
    if frame.empty:
        return "refused"
    return "silent change" if fuzz.hostile else "imported"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(machine.describe(), flush=True)
    catalog = get_catalog()
    outcomes: Counter = Counter()
    naive: Counter = Counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/fuzz.sqlite")
        init_store(engine, catalog, ROOT / "data" / "clusters.yaml")
        rng = random.Random(args.seed)
        started = time.perf_counter()
        for number in range(args.files):
            hostile, benign = random_mutations(rng)
            fuzz = make_file(Path(folder), f"file{number:04d}", catalog, rng, hostile, benign)
            before = stored_values(engine)
            outcome = check_outcome(
                engine, catalog, fuzz, before, lambda path: import_values_file(engine, path, catalog, "fuzz")
            )
            kind = next((k for k in KINDS if outcome.startswith(k)), outcome)
            outcomes[kind] += 1
            naive[naive_outcome(fuzz)] += 1
            if kind not in ("refused", "imported"):
                failures.append(f"{fuzz.path.name} hostile={fuzz.hostile} benign={fuzz.benign}: {outcome}")
            fuzz.path.unlink(missing_ok=True)
        elapsed = time.perf_counter() - started
        engine.dispose()
    hostile_files = outcomes["refused"] + outcomes["accepted a hostile file"]
    print(f"{args.files:,} files in {elapsed:.1f} s ({elapsed / args.files * 1000:.0f} ms a file), seed {args.seed}")
    print(
        f"importer: {outcomes['imported']:,} imported exactly, {outcomes['refused']:,} refused with a message "
        f"(of {hostile_files:,} hostile files)"
    )
    print(
        f"baseline (plain pandas read, no checks): {naive['silent change']:,} hostile files it would store, "
        f"{naive['refused']:,} it could not read, {naive['out of memory']:,} that would exhaust memory "
        "(an XLSX cell at XFD1048576; not run)"
    )
    status = 0
    for kind in KINDS:
        verdict = "PASS" if outcomes[kind] == 0 else "FAIL"
        status |= outcomes[kind] != 0
        print(f"  {kind:<26} {outcomes[kind]:>6,}  target 0  {verdict}")
    for line in failures[:30]:
        print("   ", line)
    return int(status)


if __name__ == "__main__":
    raise SystemExit(main())
