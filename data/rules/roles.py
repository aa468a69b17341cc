"""Roles as data (`roles.yaml`, issue 18): what each kind of account may do, and which kinds of
area it may be given. Read and checked once; a wrong file stops start-up with its reason."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from data.rules.catalog import Text

Permission = Literal[
    "view", "wall", "restricted_kpis", "export", "esr", "data_status", "manage_accounts", "manage_tokens", "audit"
]
AreaKind = Literal["country", "region", "cluster", "province"]
KIOSK_ROLE = "wall_screen"  # the role of a wall screen signed in by a kiosk token


class Role(BaseModel):
    label: Text
    may: frozenset[Permission]
    areas: tuple[AreaKind, ...] = Field(min_length=1)


class Roles(BaseModel):
    version: int = 1
    roles: dict[str, Role]

    @field_validator("roles")
    @classmethod
    def _names(cls, roles: dict[str, Role]) -> dict[str, Role]:
        for name in roles:
            if not name.replace("_", "").isalnum() or not name.islower() or len(name) > 32:
                raise ValueError(f"role name {name!r}: lower-case letters, digits and _ only, at most 32")
        if KIOSK_ROLE not in roles:
            raise ValueError(f"the role {KIOSK_ROLE!r} (wall-screen kiosk tokens) is missing")
        return roles

    def get(self, name: str) -> Role:
        if name not in self.roles:
            raise KeyError(f"unknown role {name!r}; roles: {', '.join(self.roles)}")
        return self.roles[name]


class RolesFileError(ValueError):
    pass


def load_roles(path: Path | str) -> Roles:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return Roles.model_validate(raw)
    except (OSError, yaml.YAMLError) as error:
        raise RolesFileError(f"{path}: {error}") from error
    except ValidationError as error:
        raise RolesFileError(f"{path}: {error}") from error


@lru_cache(maxsize=4)
def _roles_at(path: str) -> Roles:
    return load_roles(path)


def get_roles() -> Roles:
    """The roles of this process's settings (`POC_ROLES`), validated once per process (as the catalog)."""
    from settings import get_settings

    return _roles_at(str(get_settings().roles_path))
