"""The house's rules (ARCHITECTURE.md), checked on the source: one read border (only the data
layer speaks SQL), rooms that import only the rooms below them, pages that import no callbacks,
and the size limits that keep every function readable. A change that breaks a rule fails here
with the file and line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ["app.py", "settings.py", "data", "geo", "layouts", "pages", "callbacks", "reports", "web", "cli"]

# room → the rooms (top-level packages, or data's sub-packages) it may import
ALLOWED = {
    "data.rules": {"data.rules", "settings"},
    "data.files": {"data.rules", "data.files", "settings"},
    "data.store": {"data.rules", "data.files", "data.store", "geo", "settings"},
    "data.query": {"data.rules", "data.store", "data.query", "settings"},
    "geo": {"geo", "data.rules", "settings"},
    "layouts": {"layouts", "data.rules", "data.query", "geo", "settings"},
    "reports": {"reports", "layouts", "data.rules", "data.query", "geo", "web", "settings"},
    "callbacks": {"callbacks", "reports", "layouts", "data.rules", "data.query", "geo", "web", "settings"},
    "pages": {"pages", "layouts", "data.rules", "data.query", "geo", "settings"},
    "web": {"web", "data.rules", "data.query", "data.store", "reports", "settings", "app"},
    "cli": {"cli", "data.rules", "data.files", "data.store", "data.query", "geo", "reports", "web", "settings", "app"},
    "app": {"callbacks", "data.query", "data.rules", "data.store", "layouts", "settings", "web"},
    "settings": set(),
}
# the one import against the order: a write tells the query cache that what it holds is old
EXCEPTIONS = {("data.store", "data.query.cache")}
ROOMS = {"data", "geo", "layouts", "pages", "callbacks", "reports", "web", "cli", "app", "settings"}


def product_files() -> list[Path]:
    files = []
    for name in PRODUCT:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*.py") if "migrations" not in p.parts)
    return files


def room_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] not in ROOMS:
        return None
    if parts[0] == "data" and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "data":  # from data import query → data.query
                found += [(node.lineno, f"data.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def name_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_arc001_only_the_data_layer_speaks_sql():
    """Nothing outside `data/` imports SQLAlchemy or opens a connection: every read goes through
    the query layer's named functions."""
    leaks = []
    for path in product_files():
        if name_of(path).startswith("data."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        leaks += [
            f"{path.relative_to(ROOT)}:{line} imports {module}"
            for line, module in imports_of(path)
            if module.split(".")[0] in ("sqlalchemy", "psycopg", "alembic")
        ]
        leaks += [
            f"{path.relative_to(ROOT)}:{node.lineno} calls .{node.func.attr}()"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("connect", "begin", "execute", "raw_connection")
        ]
    assert not leaks, "\n".join(leaks)


def test_arc002_rooms_import_only_the_rooms_below_them():
    wrong = []
    for path in product_files():
        room = room_of(name_of(path)) if not name_of(path) == "data.__init__" else None
        if room is None or room not in ALLOWED:
            continue
        for line, module in imports_of(path):
            target = room_of(module)
            if (room, module) in EXCEPTIONS:
                continue
            if target is not None and target != "data" and target not in ALLOWED[room] | {room}:
                wrong.append(f"{path.relative_to(ROOT)}:{line} ({room}) imports {module}")
    assert not wrong, "\n".join(wrong)


def test_arc003_pages_import_no_callbacks():
    """Pages are drawn from the query layer and the layouts; the callbacks are registered by
    `app.create_app`. (A helper both need lives where both can import it.)"""
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in (ROOT / "pages").glob("*.py")
        for line, module in imports_of(path)
        if module.split(".")[0] == "callbacks"
    ]
    assert not wrong, "\n".join(wrong)


def test_arc004_app_is_wiring_only():
    lines = (ROOT / "app.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 60, f"app.py has {len(lines)} lines: move what is not wiring into its room"


@pytest.mark.parametrize("limit", [60])
def test_arc005_no_product_function_is_a_giant(limit):
    """No product function over ~60 lines (complexity is ruff's C901, configured in pyproject.toml)."""
    giants = []
    for path in product_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > limit:
                    giants.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} has {length} lines")
    assert not giants, "\n".join(giants)


def test_arc006_no_product_module_is_a_giant():
    giants = [
        f"{path.relative_to(ROOT)} has {n} lines"
        for path in product_files()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert not giants, "\n".join(giants)
