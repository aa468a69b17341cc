"""The README documents every setting and every `poc` command (fails the build when one is missing)."""

from __future__ import annotations

import re

from cli.main import poc
from settings import PROJECT_ROOT, Settings

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _env_name(name, field) -> str:
    return (field.alias or name).upper()


def test_doc001_every_setting_is_in_the_configuration_table():
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", README, flags=re.MULTILINE))
    missing = {_env_name(n, f) for n, f in Settings.model_fields.items()} - documented
    assert not missing, f"settings missing from the README table: {sorted(missing)}"


def test_doc002_every_poc_command_is_documented():
    missing = [name for name in poc.commands if f"`poc {name}" not in README]
    assert not missing, f"commands missing from the README: {missing}"


def test_doc003_ci_runs_the_readme_test_command():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test    # set up and run" in README
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)
