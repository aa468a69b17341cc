"""Zero leaks across the scope border (issue 18, item 7): a generated population of users of every
role and kind of area asks every route, and nothing of an area outside the user's scope comes back.

Each user signs in once through the real sign-in form (GET /login, the form's csrf_token, POST →
303) in a test client of its own, whose cookie jar then carries the session; callbacks send the
session's CSRF token (the `_csrf_token` cookie the app sets) as X-CSRFToken; every request carries
X-Harness-Anonymous, so the test harness never signs anyone in (tests/helpers.SignedInHarness).
Kiosk tokens (data.store.accounts.create_token) sign in by /wall?token=…. The module's own demo
store (tests/stores.build_demo_store: every province, the districts of 50 and 10) is built with a
copy of the catalog in which RESTRICTED are marked `restricted: true` (POC_CATALOG), and a square
boundary for every district, so that the district maps draw stored, named features.

Population: a fixed list plus a hypothesis property.
* `population()`, generated at import from roles.yaml and data/clusters.yaml with
  random.Random(SEED), the same list on every run: for every role and every kind of area its
  `areas` allows, accounts of Chiang Mai (50) and Bangkok (10), whose districts carry values, of a
  drawn other province, of several provinces, of Chiang Mai's cluster C01 and a drawn cluster, of
  a drawn region, of the country (TH), of a province with a cluster or the country where a role
  takes both, topped up with random draws to PER_ROLE accounts a role (43 accounts); plus six
  kiosk tokens (50, 10, a drawn province, C01, a drawn cluster, TH). Every third user reads in
  English. Each asks the full route set (test_lk001, one test per user).
* test_lk020, `@given` over (role, one to three areas of the kinds the role takes, a language) ×
  a province, HYPOTHESIS_EXAMPLES examples (the module runs in about 80 s on two cores): the
  drawn province's page, wall screen and CSV download, and the overview.

Routes of each user (held: in the scope; not held: outside it). Dash's page-routing callback for
/, /?show=kpi:<district KPI>&level=district (the district map), /province/<held> (and
?kpi=<restricted>, /?show=kpi:<restricted> for roles without restricted_kpis), two provinces not
held (50 and 10 first), /district/5001 and /district/1001, /cluster/<held>, /cluster/<not held>
(the cluster of a held province first), /kpi/<restricted>?area=<held>, /kpi/<district
KPI>?area=<not held province> and ?area=5001, /data; GETs of /province/<held> and <not held>,
/district/5001, /cluster/<not held>, /data, /account, /_dash-layout, /admin, /admin/audit;
the /wall frame through the routing callback and GET /wall for a province not held (403) and held;
/wall/data with no area, ?province=<held>, two not held, ?cluster=<held> and <not held>, and
?kpi=&trends= of the restricted KPIs; the KPI download callback (CSV) for the country, a province
held and one not held; the ESR callback (its XLSX button "esr-xlsx": the PDF needs Chromium; the
book read with openpyxl) for a province and a cluster not held, and one report built per user of
a province held, a cluster held or the country, in turn. Each answer is also checked against
what the role and scope should get: the page or the "not allowed" panel, 200/403, a file or
none and the "not allowed" message (roles without export or esr get no file), the admin pages
listing every account inside the scope. Beside them: no session at all (test_lk010: 302 to
/login on pages; test_lk011: 401 on /_dash-update-component, /wall/data, /_dash-layout), a
callback without the session's CSRF token and a wrong kiosk token (test_lk012), the restricted
KPIs through the query layer with each user's Scope (test_lk030), and the oracle itself, which
must find the leaks in a country-wide user's answers judged as a Chiang Mai user's (test_lk005).

The leak oracle (`Oracle`, made by `Names.oracle`). For a scope that is not the whole country,
the areas outside it are the provinces, districts and subdistricts (data.query.reference.
all_areas) whose province it does not hold. Roll-ups (the country, regions, clusters) are
published figures and may appear by name (README: "roll-ups shown to a scoped user are the
published figures"). An answer leaks when it carries:

* a code of such an area in an area position: a JSON string under an area key (AREA_KEYS:
  area_code, code, id, locations, customdata, value, ...; not the cluster number of a
  {"kind": "cluster", "code": …} request), a data-* attribute, a link /province/NN,
  /district/NNNN or ?area=, ?province=, ?district=, a cell of a code column of a CSV or XLSX
  sheet, a token of an area, scope or detail cell of the admin pages. A code the request itself
  named may come back only as that echo (the "not allowed" page's language link keeps the path;
  the wall's frame keeps ?province= in the address it fetches, which the gate refuses), and only
  where the "not allowed" panel or the wall's frame, which holds no data, is asserted;
* a name of such a province or district, Thai or English, or a province's tile label (อักษรย่อ, or CMI in English).
  Thai is written without spaces between words, so a raw substring test would find "ตาก" (Tak) in
  ตากใบ, "แพร่" (Phrae) in เผยแพร่ and "เลย" (Loei) in ordinary sentences: a Thai name matches as a
  whole token (a run of Thai letters, with จังหวัด/อำเภอ/เขต/ตำบล/แขวง in front taken off), and only a
  province name found in none of the app's own texts (layouts/text, the catalog, roles.yaml) nor
  in the names of areas of other provinces also matches as a substring anywhere. English names
  match as runs of whole words, case-sensitive ("Tak" is not in "Taksin", "Nan" not in "NaN").
  Texts are JSON strings (not the keys, nor structural values such as a component's "type": "Li"
  is Dash's list item, not the district Li), text nodes of markup, CSV and XLSX cells; a page the
  server draws is read without its scripts. A name borne also by an area the user may see,
  whole or as a token or run of words of its name, is not counted: the two cannot be told apart
  ("Uthai", a district of Ayutthaya, inside "Uthai Thani"; "พล", the district Phon and
  Phitsanulok's tile label). Subdistrict names are not matched (the demo store holds no
  subdistrict values); their codes are;
* an account, or a kiosk token id, whose areas are not all inside the scope (the admin pages);
* values of a KPI marked restricted for a role without restricted_kpis (a chart trace named
  after it holding points, a wall trend of it with a value).

Restricted KPIs named: their id or name in an answer to a role without restricted_kpis is counted
apart (Tally.named) and shown by test_lk040, which FAILS on purpose: a leak found in the product
(see its docstring), left for its owner. test_lk099 prints the tally: users × routes, answers
checked, leaks.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.query import NotAllowed, Scope, map_values, province_table, scope_for, scorecard, series
from data.query.reference import all_areas
from data.rules.areas import load_clusters, reference_area_rows
from data.rules.catalog import load_catalog
from data.rules.roles import KIOSK_ROLE, load_roles
from data.store import accounts
from data.store.areas import area_frame
from data.store.boundaries import replace_boundaries
from data.store.engine import get_engine, make_engine
from helpers import dash_app, ensure_account, reading_store, router_payload, square, unbroken, words_joined
from layouts.text.i18n import t
from settings import PROJECT_ROOT
from stores import CLUSTERS, build_demo_store
from web import auth

SEED = 18007
PER_ROLE = 6  # accounts of each role, at least
HYPOTHESIS_EXAMPLES = 10
PASSWORD = "harness-password-1"  # ensure_account's
RESTRICTED = ("suicide_rate", "dengue_per_100k")  # marked `restricted: true` in this module's catalog
DISTRICT_KPI = "road_deaths_per_100k"  # published by district
DISTRICTS = ("5001", "1001")  # Mueang Chiang Mai, Phra Nakhon: districts with values
WITH_DISTRICTS = ("50", "10")
COUNTRY = "TH"
NO_TRENDS = "goals,exceptions,map,hotspots"  # the wall's slides but its trends
ANONYMOUS = {"X-Harness-Anonymous": "1"}
AREA_KEYS = frozenset(
    {
        "area_code",
        "code",
        "id",
        "ids",
        "locations",
        "customdata",
        "value",
        "area",
        "province",
        "province_code",
        "parent_code",
        "district_code",
        "data-area",
    }
)
LINK = re.compile(
    r"/(?:province|district)/([0-9]{2,6})(?![0-9])|(?:[?&;]|&amp;)(?:area|province|district)=([0-9]{2,6})(?![0-9])"
)
DATA_AREA = re.compile(r'data-[a-z-]+=\\?"([0-9]{2,6})\\?"')
TAG = re.compile(r"<[^>]*>")
TREND = re.compile(r'data-kpi=\\?"([^"\\]*)\\?".*?wall-trend-value\\?">([^<]*)<', re.S)
TABLE = re.compile(r"<table\b.*?</table>", re.S)
HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<td>(.*?)</td>", re.S)
CELL_TOKENS = re.compile(r"[\s,=_.:/]+")
AREA_HEADERS = frozenset({"พื้นที่", "Areas", "Area", "ขอบเขต", "Scope", "รายละเอียด", "Detail"})
SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
CODE_COLUMN = re.compile(r"รหัส|\bcode\b", re.I)
KPI_COLUMN = re.compile(r"ตัวชี้วัด|kpi", re.I)
NOT_TEXT = frozenset(
    {"type", "namespace", "className", "dtype", "bdata", "hovertemplate", "family", "style", "content"}
)
THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
THAI_PREFIXES = ("จังหวัด", "อำเภอ", "เขต", "ตำบล", "แขวง")
UI_TEXT = ("layouts/text", "kpi_definitions.yaml", "roles.yaml")  # what the app itself writes


# =========================================================================== the population


@dataclass(frozen=True)
class User:
    name: str
    role: str
    areas: tuple[str, ...]
    language: str = "th"

    @property
    def kiosk(self) -> bool:
        return self.role == KIOSK_ROLE

    def __str__(self) -> str:
        return self.name


@lru_cache(maxsize=1)
def reference() -> pd.DataFrame:
    """The reference areas (from data/clusters.yaml, no store): what the population is drawn from."""
    frame = pd.DataFrame(reference_area_rows(load_clusters(CLUSTERS)))
    return frame.set_index("code", drop=False)


@lru_cache(maxsize=1)
def roles():
    return load_roles(PROJECT_ROOT / "roles.yaml").roles


def codes_of(level: str) -> list[str]:
    table = reference()
    return sorted(table.code[table.level == level])


def draws(rng: random.Random, kind: str) -> list[tuple[str, ...]]:
    """The areas of accounts given `kind` of area: the fixed cases, then one random draw."""
    provinces, clusters, regions = codes_of("province"), codes_of("cluster"), codes_of("region")
    others = [p for p in provinces if p not in WITH_DISTRICTS]
    if kind == "province":
        several = sorted({rng.choice(WITH_DISTRICTS), *rng.sample(others, rng.randint(1, 3))})
        return [("50",), ("10",), (rng.choice(others),), tuple(several)]
    if kind == "cluster":
        return [("C01",), (rng.choice(clusters),)]  # C01: Chiang Mai's cluster
    if kind == "region":
        return [(rng.choice(regions),)]
    return [(COUNTRY,)]


def random_areas(rng: random.Random, kinds: list[str]) -> tuple[str, ...]:
    kinds = [k for k in kinds if k != "country"] or kinds
    pools = {"province": codes_of("province"), "cluster": codes_of("cluster"), "region": codes_of("region")}
    picked = set()
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(kinds)
        picked.add(COUNTRY if kind == "country" else rng.choice(pools[kind]))
    return tuple(sorted(picked))


def population(seed: int = SEED) -> list[User]:
    """Accounts of every role and kind of area its `areas` allows, and kiosk tokens (see the docstring)."""
    rng = random.Random(seed)
    users: list[User] = []
    for role_name, role in roles().items():
        if role_name == KIOSK_ROLE:
            continue
        kinds = list(role.areas)
        chosen = [areas for kind in kinds for areas in draws(rng, kind)]
        if "province" in kinds and len(kinds) > 1:  # a province with a roll-up of another kind
            other = next(k for k in kinds if k != "province")
            chosen.append(tuple(sorted({rng.choice(codes_of("province")), draws(rng, other)[-1][0]})))
        for _ in range(100):  # topped up with random draws, each areas once
            if len(chosen) >= PER_ROLE:
                break
            drawn = random_areas(rng, kinds)
            chosen += [] if drawn in chosen else [drawn]
        users += [User(f"{role_name}.{i:02d}", role_name, areas) for i, areas in enumerate(chosen)]
    clusters = codes_of("cluster")
    provinces = [p for p in codes_of("province") if p not in WITH_DISTRICTS]
    kiosks = [("50",), ("10",), (rng.choice(provinces),), ("C01",), (rng.choice(clusters),), (COUNTRY,)]
    users += [User(f"kiosk.{i:02d}", KIOSK_ROLE, areas) for i, areas in enumerate(kiosks)]
    return [
        User(u.name + "." + "-".join(u.areas), u.role, u.areas, "en" if i % 3 == 2 else "th")
        for i, u in enumerate(users)
    ]


POPULATION = population()


# =========================================================================== the tally


@dataclass
class Tally:
    users: set[str] = field(default_factory=set)
    routes: set[str] = field(default_factory=set)
    answers: int = 0
    leaks: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)  # restricted KPIs named to a role without them
    wrong: list[str] = field(default_factory=list)


TALLY = Tally()


# =========================================================================== the oracle


@dataclass
class Oracle:
    """What of an answer would be a leak for one user (see the module docstring)."""

    codes: frozenset[str]  # areas outside the scope
    thai: dict[str, str]  # name → code: whole tokens
    thai_anywhere: dict[str, str]  # province names matched as substrings too
    english: dict[tuple[str, ...], str]  # the words of a name → code: whole words
    first_words: dict[str, set[int]]
    shorts: dict[str, str]  # tile labels (อักษรย่อ) of provinces outside → code
    secrets: dict[str, str]  # account names and token ids outside the scope → their areas
    kpis: tuple[str, ...]  # restricted KPI ids and names, when the role may not see them

    def leaks(self, raw: str, pieces: list[str], echo: frozenset[str] = frozenset()) -> list[str]:
        """The leaks of an answer: `raw` its text (links, attributes, secrets), `pieces` the texts
        a reader reads in it (JSON strings, text nodes, cells: names)."""
        found = []
        for match in LINK.finditer(raw):
            code = match.group(1) or match.group(2)
            if code in self.codes and code not in echo:
                found.append(f"link {match.group(0)!r}")
        found += [f"data-area {c!r}" for c in DATA_AREA.findall(raw) if c in self.codes]  # data-area, data-code…
        found += [f"account or token {name!r} ({areas})" for name, areas in self.secrets.items() if name in raw]
        return found + self.names(pieces)

    def restricted(self, raw: str, echo: frozenset[str] = frozenset()) -> list[str]:
        """A KPI marked restricted named (its id or name) to a role without restricted_kpis."""
        return [f"restricted KPI named: {kpi!r}" for kpi in self.kpis if kpi in raw and kpi not in echo]

    def names(self, pieces: list[str]) -> list[str]:
        found = set()
        for piece in pieces:
            for run in THAI_RUN.findall(piece):
                for token in (run, *(run[len(p) :] for p in THAI_PREFIXES if run.startswith(p))):
                    if token in self.thai:
                        found.add(f"name {token!r} ({self.thai[token]})")
            words = LATIN_WORD.findall(piece)
            for i, word in enumerate(words):
                for length in self.first_words.get(word, ()):
                    key = tuple(words[i : i + length])
                    if key in self.english:
                        found.add(f"name {' '.join(key)!r} ({self.english[key]})")
        text = "\n".join(pieces)
        found.update(f"name {n!r} ({c}) inside a text" for n, c in self.thai_anywhere.items() if n in text)
        return sorted(found)

    def json_leaks(self, document, echo: frozenset[str] = frozenset()) -> list[str]:
        """The leaks of a JSON document: codes under area keys, then `leaks` of its strings."""
        found, strings, pieces = [], [], []

        def walk(node, key=None):
            if isinstance(node, dict):
                for name, value in node.items():
                    # an ESR request's or export's {"kind": "cluster", "code": "16"}: a cluster number
                    walk(value, None if name == "code" and node.get("kind") == "cluster" else name)
            elif isinstance(node, list):
                for item in node:
                    walk(item, key)
            elif isinstance(node, str):
                strings.append(node)
                if key not in NOT_TEXT:
                    pieces.extend(text_nodes(node) if "<" in node else [node])
                if key in AREA_KEYS and node in self.codes and node not in echo:
                    found.append(f"code {node!r} under {key!r}")
                if key == "short" and node in self.shorts:
                    found.append(f"tile label {node!r} ({self.shorts[node]})")

        walk(words_joined(document))
        return found + self.leaks("\n".join(strings), pieces, echo)

    def html_leaks(self, html: str) -> list[str]:
        """The leaks of a page drawn by the server (its scripts are the app's code: links only),
        with the codes in the area, scope and detail cells of its tables (the admin pages)."""
        found = []
        for table in TABLE.findall(html):
            header = [" ".join(text_nodes(h)) for h in HEADER_CELL.findall(table)]
            for row in ROW.findall(table):
                for name, cell in zip(header, CELL.findall(row)):
                    if name.strip() in AREA_HEADERS:
                        tokens = CELL_TOKENS.split(" ".join(text_nodes(cell)))
                        found += [f"code {c!r} in the {name!r} cell" for c in tokens if c in self.codes]
        return found + self.leaks(html, text_nodes(SCRIPT.sub(" ", html)))

    def cells_leaks(self, rows: list[list]) -> list[str]:
        """The leaks of a table (CSV rows, a sheet): codes in a code column, names in any cell."""
        found = []
        if rows:
            header = [str(h or "") for h in rows[0]]
            columns = [i for i, h in enumerate(header) if CODE_COLUMN.search(h) and not KPI_COLUMN.search(h)]
            for row in rows[1:]:
                found += [
                    f"code {row[i]!r} in column {header[i]!r}"
                    for i in columns
                    if i < len(row) and str(row[i]) in self.codes
                ]
        cells = ["" if c is None else str(c) for row in rows for c in row]
        return found + self.leaks("\n".join(cells), cells)


def text_nodes(markup: str) -> list[str]:
    return [unescape(part) for part in TAG.split(unbroken(markup)) if part.strip()]


def corpus() -> str:
    """The texts the app itself writes (its words, the catalog, the roles)."""
    parts = []
    for name in UI_TEXT:
        path = PROJECT_ROOT / name
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        parts += [f.read_text(encoding="utf-8") for f in files]
    return "\n".join(parts)


class Names:
    """The names of every area, and which areas' names contain each province or district name as
    a token (Thai) or run of whole words (English): a name inside the name of an area the user may
    see cannot be told from it ("Uthai", a district of Ayutthaya, inside "Uthai Thani"; the tile
    label "พล" of Phitsanulok and the district Phon, "พล")."""

    def __init__(self, table: pd.DataFrame):
        self.table = table
        self.thai_in: dict[str, set[str]] = {}
        self.english_in: dict[tuple[str, ...], set[str]] = {}
        for code, name_th, name_en in table[["code", "name_th", "name_en"]].itertuples(index=False):
            for run in THAI_RUN.findall(name_th or ""):
                for token in (run, *(run[len(p) :] for p in THAI_PREFIXES if run.startswith(p))):
                    self.thai_in.setdefault(token, set()).add(code)
            words = tuple(LATIN_WORD.findall(name_en or ""))
            for i in range(len(words)):
                for j in range(i + 1, min(len(words), i + 6) + 1):
                    self.english_in.setdefault(words[i:j], set()).add(code)
        tiles = yaml.safe_load((PROJECT_ROOT / "geo" / "tilegrid.yaml").read_text(encoding="utf-8"))["provinces"]
        self.shorts = {str(code): str(tile["short"]) for code, tile in tiles.items()}
        for code, short in self.shorts.items():
            self.thai_in.setdefault(short, set()).add(code)
        for code, tile in tiles.items():  # the English tile label (CMI, LPN): a word of its own
            self.english_in.setdefault((str(tile["short_en"]),), set()).add(str(code))
        self.anywhere = self._anywhere()

    def _anywhere(self) -> dict[str, str]:
        """Province names (Thai) found in none of the app's texts nor the names of areas of other
        provinces: a substring of any answer is then that province's name."""
        text, table = corpus(), self.table
        names = table["name_th"].fillna("")
        safe = {}
        for code, name in table[table["level"] == "province"][["code", "name_th"]].itertuples(index=False):
            others = names[table["code"].str[:2] != code]
            if name not in text and not others.str.contains(name, regex=False).any():
                safe[name] = code
        return safe

    def oracle(self, scope: Scope, may_restricted: bool, secrets: dict) -> Oracle:
        table = self.table
        codes = table["code"].astype(str)
        numeric = codes.str[:2].str.isdigit()
        outside_rows = numeric & ~codes.map(scope.holds).astype(bool)
        outside = frozenset(table["code"][outside_rows])
        named = table[outside_rows & table["level"].isin(["province", "district"])]

        def alone(holders: set[str]) -> bool:  # only areas outside the scope bear this name
            return holders <= outside

        thai = {n: c for c, n in zip(named["code"], named["name_th"]) if alone(self.thai_in.get(n, set()))}
        english = {}
        for code, name in zip(named["code"], named["name_en"]):
            words = tuple(LATIN_WORD.findall(name or ""))
            if words and alone(self.english_in.get(words, set())):
                english[words] = code
        first_words: dict[str, set[int]] = {}
        for words in english:
            first_words.setdefault(words[0], set()).add(len(words))
        return Oracle(
            codes=outside,
            thai=thai,
            thai_anywhere={n: c for n, c in self.anywhere.items() if c in outside},
            english=english,
            first_words=first_words,
            shorts={short: code for code, short in self.shorts.items() if code in outside},
            secrets={name: areas for name, areas in secrets.items() if not all(scope.holds(a) for a in areas.split())},
            kpis=() if may_restricted else restricted_words(),
        )


@lru_cache(maxsize=1)
def restricted_words() -> tuple[str, ...]:
    catalog = load_catalog(PROJECT_ROOT / "kpi_definitions.yaml")
    kpis = [k for k in catalog.kpis if k.id in RESTRICTED]
    return tuple(RESTRICTED) + tuple(k.name.th for k in kpis) + tuple(k.name.en for k in kpis)


def restricted_values(document, words: tuple[str, ...]) -> list[str]:
    """Values of a restricted KPI (`words`: its ids and names) in a JSON answer: a chart trace
    named after it that holds any point, a wall trend of it with a latest value."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("name") in words:
                filled = [k for k in ("x", "y", "z", "locations", "hovertext", "customdata") if node.get(k)]
                found.extend(f"restricted KPI values: trace {node['name']!r} has {k}" for k in filled)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and "wall-trend" in node:
            for kpi, value in TREND.findall(node):
                if kpi in words and value.strip() not in ("–", "-", ""):
                    found.append(f"restricted KPI values: wall trend {kpi!r} shows {value!r}")

    walk(document)
    return found


# =========================================================================== the store and the sessions


def restricted_catalog(folder: Path) -> Path:
    """A copy of the catalog with RESTRICTED marked `restricted: true`."""
    document = yaml.safe_load((PROJECT_ROOT / "kpi_definitions.yaml").read_text(encoding="utf-8"))
    for kpi in document["kpis"]:
        if kpi["id"] in RESTRICTED:
            kpi["restricted"] = True
    path = folder / "kpi_definitions.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class World:
    """The module's store, its population signed in, and what the oracle needs."""

    def __init__(self, engine):
        self.engine = engine
        self.table = all_areas(engine)
        self.names = Names(self.table)
        self.tokens: dict[str, str] = {}  # user name → kiosk token
        self.token_ids: dict[str, str] = {}  # token id → area
        self.clients: dict[str, object] = {}
        self.oracles: dict[str, Oracle] = {}
        clusters = self.table[self.table["level"] == "cluster"]["code"]
        self.cluster_numbers = {code: int(code[1:]) for code in clusters}

    def add(self, user: User) -> None:
        if user.kiosk:
            if user.name not in self.tokens:
                token = accounts.create_token(self.engine, user.areas[0], "leak-test", label=user.name)
                self.tokens[user.name] = token
                self.token_ids[token.split(".")[0]] = user.areas[0]
        else:
            ensure_account(self.engine, user.name, user.role, user.areas)

    def secrets(self) -> dict[str, str]:
        """The population's accounts and kiosk token ids, each with its areas."""
        found = {a["name"]: " ".join(a["areas"]) for a in accounts.list_accounts(self.engine) if "." in a["name"]}
        return found | self.token_ids

    def scope(self, user: User) -> Scope:
        return scope_for(self.engine, user.areas, "restricted_kpis" in roles()[user.role].may)

    def oracle(self, user: User) -> Oracle:
        if user.name not in self.oracles:
            may = "restricted_kpis" in roles()[user.role].may
            self.oracles[user.name] = self.names.oracle(self.scope(user), may, self.secrets())
        return self.oracles[user.name]

    def client(self, user: User):
        """A test client signed in as `user` (once), its CSRF token sent with every callback."""
        if user.name in self.clients:
            return self.clients[user.name]
        self.add(user)
        client = dash_app().server.test_client()
        client.environ_base["HTTP_X_HARNESS_ANONYMOUS"] = "1"  # its own session only (tests/helpers.py)
        if user.kiosk:
            answer = client.get(f"/wall?token={self.tokens[user.name]}&lang={user.language}")
            assert answer.status_code == 303 and answer.headers["Location"].startswith("/wall"), answer.status_code
        else:
            form = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            answer = client.post(
                "/login", data={"username": user.name, "password": PASSWORD, "csrf_token": token, "next": "/"}
            )
            assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
        assert client.get_cookie(auth.SESSION_COOKIE) is not None
        client.environ_base["HTTP_X_CSRFTOKEN"] = client.get_cookie(auth.CSRF_COOKIE).value
        self.clients[user.name] = client
        return client


def with_district_boundaries(url: str) -> None:
    """A square for every district (provinces keep the tile grid): the district maps of the
    overview, the province pages and the wall then draw stored boundaries, named per feature."""
    engine = make_engine(url)
    with engine.connect() as connection:
        codes = sorted(area_frame(connection).query("level == 'district'")["code"])
    rows = []
    for i, code in enumerate(codes):
        west, south = 97.5 + (i % 40) * 0.12, 6.0 + (i // 40) * 0.12
        for detail in ("web", "overview"):
            rows.append(
                dict(
                    area_code=code,
                    detail=detail,
                    geojson=square(west, south),
                    bbox=(west, south, west + 0.1, south + 0.1),
                )
            )
    with engine.begin() as connection:
        replace_boundaries(connection, rows, None)
    engine.dispose()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leaks")
    catalog_path = restricted_catalog(folder)
    catalog = load_catalog(catalog_path)
    assert {k.id for k in catalog.kpis if k.restricted} == set(RESTRICTED)
    url = f"sqlite:///{folder / 'leaks.sqlite'}"
    build_demo_store(url, catalog)
    with_district_boundaries(url)
    with reading_store(url, POC_CATALOG=str(catalog_path)):
        auth.forget()
        engine = get_engine()
        here = World(engine)
        for user in POPULATION:
            here.add(user)
        assert dash_app().server.test_client().get("/healthz", headers=ANONYMOUS).status_code == 200
        yield here
        auth.forget()


# =========================================================================== asking


def esr_payload(kind: str, code: str | None, language: str, pathname: str = "/") -> dict:
    buttons = ("esr-pdf", "esr-xlsx", "esr-snapshot")
    stored = {"kind": kind, "code": code, "period": None, "lang": language}
    return {
        "output": "..esr-file.data...esr-message.children..",
        "outputs": [{"id": "esr-file", "property": "data"}, {"id": "esr-message", "property": "children"}],
        "inputs": [{"id": b, "property": "n_clicks", "value": 1 if b == "esr-xlsx" else None} for b in buttons],
        "state": [
            {"id": "esr-request", "property": "data", "value": stored},
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": ""},
        ],
        "changedPropIds": ["esr-xlsx.n_clicks"],
    }


def csv_payload(kpi: str, area: str, language: str) -> dict:
    return {
        "output": "kpi-download-csv-file.data",
        "outputs": {"id": "kpi-download-csv-file", "property": "data"},
        "inputs": [{"id": "kpi-download-csv", "property": "n_clicks", "value": 1}],
        "state": [{"id": "kpi-table-state", "property": "data", "value": {"kpi": kpi, "area": area, "lang": language}}],
        "changedPropIds": ["kpi-download-csv.n_clicks"],
    }


def sent_file(answer: dict, output: str) -> bytes | None:
    data = (answer.get("response") or {}).get(output, {}).get("data")
    if not data:
        return None
    return base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode("utf-8")


def book_rows(content: bytes) -> list[list]:
    """Every row of every sheet of an XLSX, one table per sheet in turn."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = []
    for sheet in book.worksheets:
        rows.append(list(sheet.iter_rows(values_only=True)))
    return rows


def not_allowed(text: str, language: str) -> bool:
    """The "not allowed" panel of a page (pages._frame._not_allowed)."""
    return '"id": "not-found"' in text and t("not_allowed", language) in text and "bi-shield-lock" in text


class Visit:
    """One user's round of the routes: each answer checked by the oracle, each outcome against what
    the user's role and scope should get."""

    def __init__(self, world: World, user: User):
        self.world, self.user = world, user
        self.client = world.client(user)
        self.oracle = world.oracle(user)
        self.scope = world.scope(user)
        self.may = frozenset(roles()[user.role].may)
        self.lang = user.language
        self.leaks: list[str] = []
        self.named: list[str] = []
        self.wrong: list[str] = []
        TALLY.users.add(user.name)

    # ------------------------------------------------------------------ bookkeeping

    def saw(self, route: str, leaks: list[str], raw: str = "", echo=frozenset()) -> None:
        """One answer judged: its leaks, and (apart) the restricted KPIs it names to a role without them."""
        TALLY.routes.add(route)
        TALLY.answers += 1
        for leak in leaks:
            line = f"{route} as {self.user.name}: {leak}"
            self.leaks.append(line)
            TALLY.leaks.append(line)
        for named in self.oracle.restricted(raw, frozenset(echo)):
            line = f"{route} as {self.user.name}: {named}"
            self.named.append(line)
            TALLY.named.append(line)

    def saw_json(self, route: str, document, echo=frozenset()) -> None:
        leaks = self.oracle.json_leaks(document, frozenset(echo)) + restricted_values(document, self.oracle.kpis)
        self.saw(route, leaks, json.dumps(document, ensure_ascii=False), echo)

    def expect(self, route: str, ok: bool, what: str) -> None:
        if not ok:
            line = f"{route} as {self.user.name}: {what}"
            self.wrong.append(line)
            TALLY.wrong.append(line)

    # ------------------------------------------------------------------ the areas asked for

    def held_provinces(self) -> list[str]:
        provinces = sorted(self.world.table.code[self.world.table.level == "province"])
        return [p for p in provinces if self.scope.holds(p)]

    def outside_provinces(self) -> list[str]:
        provinces = sorted(self.world.table.code[self.world.table.level == "province"])
        outside = [p for p in provinces if not self.scope.holds(p)]
        first = [p for p in WITH_DISTRICTS if p in outside]
        rng = random.Random(f"{SEED}:{self.user.name}")
        rest = [p for p in outside if p not in first]
        return (first + rng.sample(rest, min(2, len(rest))))[:2]

    def mine(self) -> str | None:
        held = self.held_provinces()
        return next((p for p in WITH_DISTRICTS if p in held), held[0] if held else None)

    def clusters(self) -> tuple[int | None, int | None]:
        """A cluster the scope holds whole, and one it does not (Chiang Mai's when it holds 50 alone)."""
        numbers = self.world.cluster_numbers
        held = [numbers[c] for c in sorted(numbers) if self.scope.holds(c)]
        outside = [numbers[c] for c in sorted(numbers) if not self.scope.holds(c)]
        near = [numbers[c] for c in sorted(numbers) if not self.scope.holds(c) and c in self.touched()]
        return (held[0] if held else None), ((near or outside or [None])[0])

    def touched(self) -> set[str]:
        table = self.world.table
        held = table[(table.level == "province") & table.code.map(self.scope.holds).astype(bool)]
        return set(held.cluster_code.dropna())

    # ------------------------------------------------------------------ the routes

    def route(self, name: str, path: str, search: str = "", *, page: bool, echo=()):
        """The routing callback: the page (`page`) or the "not allowed" panel."""
        search = f"?lang={self.lang}" + (f"&{search}" if search else "")
        answer = self.client.post("/_dash-update-component", json=router_payload(path, search))
        self.expect(name, answer.status_code == 200, f"status {answer.status_code}")
        if answer.status_code != 200:
            return
        refused = not_allowed(json.dumps(words_joined(answer.get_json()), ensure_ascii=False), self.lang)
        self.expect(name, refused != page, "the page" if refused is False else "the 'not allowed' panel")
        self.saw_json(name, answer.get_json(), echo)

    def get(self, name: str, path: str, status: int):
        answer = self.client.get(path + ("&" if "?" in path else "?") + f"lang={self.lang}")
        self.expect(name, answer.status_code == status, f"status {answer.status_code}, not {status}")
        html = answer.get_data(as_text=True)
        self.saw(name, self.oracle.html_leaks(html), html)
        return answer

    def wall(self, name: str, query: str, status: int) -> dict | None:
        answer = self.client.get(f"/wall/data?lang={self.lang}" + (f"&{query}" if query else ""))
        self.expect(name, answer.status_code == status, f"status {answer.status_code}, not {status}")
        body = answer.get_json(silent=True)
        self.expect(name, isinstance(body, dict), "no JSON")
        self.saw_json(name, body)
        return body

    def download(self, name: str, area: str, kpi: str = DISTRICT_KPI, *, gives: bool) -> None:
        answer = self.client.post("/_dash-update-component", json=csv_payload(kpi, area, self.lang))
        self.expect(name, answer.status_code in (200, 204), f"status {answer.status_code}")
        content = sent_file(answer.get_json(silent=True) or {}, "kpi-download-csv-file")
        self.expect(name, (content is not None) == gives, "a file" if content else "no file")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")))) if content else []
        self.saw_json(name, answer.get_json(silent=True) or {})
        self.saw(name, self.oracle.cells_leaks(rows), "\n".join(",".join(row) for row in rows))

    def esr(self, name: str, kind: str, code: str | None, *, gives: bool) -> None:
        answer = self.client.post("/_dash-update-component", json=esr_payload(kind, code, self.lang))
        self.expect(name, answer.status_code == 200, f"status {answer.status_code}")
        body = answer.get_json(silent=True) or {}
        content = sent_file(body, "esr-file")
        self.expect(name, (content is not None) == gives, "a file" if content else "no file")
        message = json.dumps((body.get("response") or {}).get("esr-message"), ensure_ascii=False)
        if not gives:
            self.expect(name, t("not_allowed_text", self.lang) in message, f"message {message[:200]}")
        self.saw_json(name, body)
        for rows in book_rows(content) if content else []:
            self.saw(name, self.oracle.cells_leaks(rows), "\n".join(" | ".join(map(str, row)) for row in rows))


def full_round(visit: Visit) -> None:
    """Every route of the module docstring, for one user."""
    pages = "view" in visit.may
    mine, outside = visit.mine(), visit.outside_provinces()
    held_cluster, other_cluster = visit.clusters()
    visit.route("router /", "/", page=pages)
    restricted = "restricted_kpis" in visit.may
    if not visit.scope.everything:  # the country's 928 districts, of which the held ones are drawn
        search = f"show=kpi:{DISTRICT_KPI}&level=district"
        visit.route("router /?show=kpi:<district KPI>&level=district", "/", search, page=pages)
    if not restricted:  # a restricted KPI chosen on the maps: no values for a role without restricted_kpis
        visit.route("router /?show=kpi:<restricted>", "/", f"show=kpi:{RESTRICTED[0]}", page=pages)
    if mine:
        visit.route("router /province/<held>", f"/province/{mine}", page=pages)
        if not restricted:
            search = f"kpi={RESTRICTED[1]}"
            visit.route("router /province/<held>?kpi=<restricted>", f"/province/{mine}", search, page=pages)
        path = f"/kpi/{RESTRICTED[0]}"
        page = pages and restricted
        visit.route("router /kpi/<restricted>?area=<held>", path, f"area={mine}", page=page, echo={RESTRICTED[0]})
    for i, code in enumerate(outside):
        visit.route(f"router /province/<not held {i}>", f"/province/{code}", page=False, echo={code})
    for code in DISTRICTS:
        visit.route(
            f"router /district/{code}", f"/district/{code}", page=pages and visit.scope.holds(code), echo={code}
        )
    if held_cluster:
        visit.route("router /cluster/<held>", f"/cluster/{held_cluster}", page=pages)
    if other_cluster:
        visit.route("router /cluster/<not held>", f"/cluster/{other_cluster}", page=False)
    if outside:
        visit.route("router /kpi/<kpi>?area=<not held>", f"/kpi/{DISTRICT_KPI}", f"area={outside[0]}", page=pages)
    if not visit.scope.holds(DISTRICTS[0]):
        area = f"area={DISTRICTS[0]}"
        visit.route("router /kpi/<kpi>?area=<district not held>", f"/kpi/{DISTRICT_KPI}", area, page=pages)
    visit.route("router /data", "/data", page=pages and "data_status" in visit.may)
    pages_round(visit, mine, outside, other_cluster)
    wall_round(visit, mine, outside, held_cluster, other_cluster)
    files_round(visit, mine, outside, held_cluster, other_cluster)


def pages_round(visit: Visit, mine, outside, other_cluster) -> None:
    pages = "view" in visit.may
    status = 200 if pages else 403
    if mine:
        visit.get("GET /province/<held>", f"/province/{mine}", status)
    if outside:
        denied = visit.get("GET /province/<not held>", f"/province/{outside[0]}", 403)
        visit.expect("GET /province/<not held>", t("not_allowed", visit.lang) in denied.get_data(as_text=True), "text")
    visit.get("GET /district/5001", "/district/5001", status if visit.scope.holds("5001") else 403)
    if other_cluster:
        visit.get("GET /cluster/<not held>", f"/cluster/{other_cluster}", 403)
    visit.get("GET /data", "/data", 200 if pages and "data_status" in visit.may else 403)
    visit.get("GET /account", "/account", status)
    layout = visit.client.get("/_dash-layout")
    visit.expect("GET /_dash-layout", layout.status_code == 200, f"status {layout.status_code}")
    visit.saw_json("GET /_dash-layout", layout.get_json(silent=True) or {})
    admin = pages and bool({"manage_accounts", "manage_tokens", "audit"} & visit.may)
    listing = visit.get("GET /admin", "/admin", 200 if admin else 403).get_data(as_text=True)
    if admin and "manage_accounts" in visit.may:  # it does list the accounts inside the scope
        inside = [u.name for u in POPULATION if not u.kiosk and all(visit.scope.holds(a) for a in u.areas)]
        missing = [name for name in inside if name not in listing]
        visit.expect("GET /admin", not missing, f"accounts inside the scope not listed: {missing[:5]}")
    visit.get("GET /admin/audit", "/admin/audit", 200 if admin and "audit" in visit.may else 403)


def wall_round(visit: Visit, mine, outside, held_cluster, other_cluster) -> None:
    """The wall: its frame (no data: wall.js fetches /wall/data, which the gate guards) and its
    data; the trends slide (the slowest: a chart per KPI) on the country's and a held province's
    screens of scoped users only."""
    scoped = not visit.scope.everything
    if outside:  # the frame of a screen not held names only what was asked; its page and data are refused
        search = f"province={outside[0]}"
        visit.route("router /wall?province=<not held>", "/wall", search, page=True, echo={outside[0]})
        visit.get("GET /wall?province=<not held>", f"/wall?{search}", 403)
    if mine:
        visit.get("GET /wall?province=<held>", f"/wall?province={mine}", 200)
    body = visit.wall("wall /wall/data", "" if scoped else f"slides={NO_TRENDS}", 200)
    visit.expect("wall /wall/data", bool(body and body.get("ok")), "not ok")
    if mine and scoped:
        visit.wall("wall ?province=<held>", f"province={mine}", 200)
    if mine and "restricted_kpis" not in visit.may:
        kpis = f"province={mine}&kpi={RESTRICTED[0]}&trends={','.join(RESTRICTED)}&slides=map,trends"
        visit.wall("wall ?province=<held>&kpi=<restricted>", kpis, 200)
    for i, code in enumerate(outside):
        visit.wall(f"wall ?province=<not held {i}>", f"province={code}", 403)
    if held_cluster:
        visit.wall("wall ?cluster=<held>", f"cluster={held_cluster}&slides={NO_TRENDS}", 200)
    if other_cluster:
        visit.wall("wall ?cluster=<not held>", f"cluster={other_cluster}", 403)


def files_round(visit: Visit, mine, outside, held_cluster, other_cluster) -> None:
    export, esr = "export" in visit.may, "esr" in visit.may
    visit.download("csv <country>", COUNTRY, gives=export)
    if mine:
        visit.download("csv <held>", mine, gives=export)
    if outside:
        visit.download("csv <not held>", outside[0], gives=False)
        visit.esr("esr province <not held>", "province", outside[0], gives=False)
    if other_cluster:
        visit.esr("esr cluster <not held>", "cluster", str(other_cluster), gives=False)
    # one report built per user (each takes about half a second), the kinds in turn
    turn = POPULATION.index(visit.user) % 3 if visit.user in POPULATION else 0
    if turn == 0 and mine:
        visit.esr("esr province <held>", "province", mine, gives=esr)
    elif turn == 1 and held_cluster:
        visit.esr("esr cluster <held>", "cluster", str(held_cluster), gives=esr)
    else:
        visit.esr("esr national", "national", None, gives=esr)


# =========================================================================== the tests


@pytest.mark.parametrize("user", POPULATION, ids=str)
def test_lk001_nothing_outside_the_scope_comes_back(world, user):
    """Every route, for each user of the population: 0 leaks, and each answer what the role and
    scope should get (restricted KPIs named without values are counted apart: test_lk040)."""
    visit = Visit(world, user)
    full_round(visit)
    assert not visit.leaks, "\n".join(visit.leaks)
    assert not visit.wrong, "\n".join(visit.wrong)


# =========================================================================== the oracle is not blind


def test_lk005_the_oracle_finds_what_a_country_wide_user_sees(world):
    """The answers of a country-wide analyst, judged as if a Chiang Mai analyst had got them, leak
    in every way the oracle looks for: codes under area keys, links, data-area attributes, Thai and
    English names, CSV and XLSX code columns, accounts on the admin pages."""
    country = next(u for u in POPULATION if u.role == "analyst" and u.areas == (COUNTRY,))
    admin = next(u for u in POPULATION if u.role == "poc_admin" and u.areas == (COUNTRY,))
    oracle = world.oracle(next(u for u in POPULATION if u.role == "analyst" and u.areas == ("50",)))
    client = world.client(country)
    found = []
    for language in ("th", "en"):
        overview = client.post("/_dash-update-component", json=router_payload("/", f"?lang={language}")).get_json()
        found += oracle.json_leaks(overview)
    kpi = client.post("/_dash-update-component", json=router_payload(f"/kpi/{DISTRICT_KPI}", "?lang=th")).get_json()
    found += oracle.json_leaks(kpi)
    download = client.post("/_dash-update-component", json=csv_payload(DISTRICT_KPI, COUNTRY, "en")).get_json()
    rows = list(csv.reader(io.StringIO(sent_file(download, "kpi-download-csv-file").decode("utf-8-sig"))))
    found += oracle.cells_leaks(rows)
    for path in ("/admin?lang=th", "/admin/audit?lang=en"):
        found += oracle.html_leaks(world.client(admin).get(path).get_data(as_text=True))
    kinds = {re.sub(r" [\"'(].*", "", f) for f in found}
    for kind in ("code", "link", "data-area", "name", "account or token"):
        assert kind in kinds, (kind, sorted(kinds))
    assert any(f.startswith("name 'ลำพูน'") for f in found) and any(f.startswith("name 'Lamphun'") for f in found)
    assert any("in column" in f for f in found) and any(f.endswith("'พื้นที่' cell") for f in found)
    names = {f.split(" (")[0] for f in found if f.startswith("name ")}
    assert len(names) > 100, len(names)  # the country's provinces, in both languages


# =========================================================================== no session at all


def stranger():
    """A browser of no one: no session, and (X-Harness-Anonymous) none made up by the test harness."""
    client = dash_app().server.test_client()
    client.environ_base["HTTP_X_HARNESS_ANONYMOUS"] = "1"
    return client


def nobody(world) -> Oracle:
    """The oracle of a viewer who holds nothing: every province, district and subdistrict is outside."""
    return world.names.oracle(Scope(province_codes=frozenset(), rollups=False, restricted=False), False, {})


PAGES = [
    "/",
    "/province/50",
    "/district/5001",
    "/cluster/1",
    f"/kpi/{DISTRICT_KPI}?area=50",
    "/data",
    "/wall?province=50",
]


@pytest.mark.parametrize("path", [*PAGES, "/admin", "/admin/audit", "/account"])
def test_lk010_without_a_session_a_page_is_the_way_to_sign_in(world, path):
    answer = stranger().get(path)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next="), answer.status_code
    assert not nobody(world).html_leaks(answer.get_data(as_text=True))
    TALLY.routes.add(f"no session GET {path}")
    TALLY.answers += 1


@pytest.mark.parametrize(
    "kind, what",
    [
        ("post", router_payload("/province/50", "")),
        ("post", router_payload("/", "")),
        ("post", csv_payload(DISTRICT_KPI, "50", "th")),
        ("post", esr_payload("province", "50", "th")),
        ("get", "/wall/data"),
        ("get", "/wall/data?province=50"),
        ("get", "/wall/data?cluster=1"),
        ("get", "/_dash-layout"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_lk011_without_a_session_data_is_401(world, kind, what):
    client = stranger()
    answer = client.post("/_dash-update-component", json=what) if kind == "post" else client.get(what)
    assert answer.status_code == 401 and answer.get_json() == {"error": "sign in first"}
    TALLY.routes.add(f"no session {kind} {what if isinstance(what, str) else '/_dash-update-component'}")
    TALLY.answers += 1


def test_lk012_a_callback_without_the_session_token_or_a_wrong_token_is_refused(world):
    """A signed-in user's callback without the session's CSRF token: 403 before anything is read;
    a kiosk token that is no token: the "not allowed" page and no session."""
    user = next(u for u in POPULATION if u.role == "analyst" and u.areas == ("50",))
    signed = world.client(user)
    bare = dash_app().server.test_client()
    bare.environ_base["HTTP_X_HARNESS_ANONYMOUS"] = "1"
    bare.set_cookie(auth.SESSION_COOKIE, signed.get_cookie(auth.SESSION_COOKIE).value)
    answer = bare.post("/_dash-update-component", json=router_payload("/province/50", ""))
    assert answer.status_code == 403 and "CSRF" in answer.get_json()["error"]
    wrong = stranger().get(f"/wall?token={world.tokens['kiosk.00.50']}x")
    assert wrong.status_code == 403 and not wrong.headers.get("Set-Cookie", "").startswith(auth.SESSION_COOKIE)
    assert not nobody(world).html_leaks(wrong.get_data(as_text=True))
    TALLY.answers += 2


# =========================================================================== users drawn by hypothesis


@st.composite
def drawn_users(draw) -> User:
    """A role of roles.yaml (not the kiosk's) and one to three areas of the kinds it may be given."""
    role = draw(st.sampled_from(sorted(r for r in roles() if r != KIOSK_ROLE)))
    kinds = draw(st.lists(st.sampled_from(list(roles()[role].areas)), min_size=1, max_size=3))
    areas = tuple(sorted({COUNTRY if k == "country" else draw(st.sampled_from(codes_of(k))) for k in kinds}))
    language = draw(st.sampled_from(["th", "en"]))
    return User(f"hyp.{role}.{'-'.join(areas)}", role, areas, language)


@settings(
    max_examples=HYPOTHESIS_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(user=drawn_users(), province=st.sampled_from(codes_of("province")))
def test_lk020_drawn_users_get_nothing_outside_their_scope(world, user, province):
    """For a drawn user and a drawn province: its page, its wall screen and its CSV download are the
    area's when the scope holds it, else refused; none leaks."""
    visit = Visit(world, user)
    held, pages = visit.scope.holds(province), "view" in visit.may
    visit.route("drawn: router /province/<drawn>", f"/province/{province}", page=pages and held, echo={province})
    visit.route("drawn: router /", "/", page=pages)
    query = f"province={province}&slides={NO_TRENDS}"
    visit.wall("drawn: wall ?province=<drawn>", query, 200 if held else 403)
    visit.download("drawn: csv <drawn>", province, gives=held and "export" in visit.may)
    assert not visit.leaks, "\n".join(visit.leaks)
    assert not visit.wrong, "\n".join(visit.wrong)


# =========================================================================== restricted KPIs at the query layer


def restricted_ids(frame: pd.DataFrame) -> set[str]:
    return set(frame["kpi_id"]) & set(RESTRICTED) if "kpi_id" in frame else set()


def test_lk030_restricted_kpis_at_the_query_layer(world):
    """For the scope of every user of the population, through the query functions with the scope
    given: a KPI marked restricted is in a scorecard only for an area the scope holds and a role
    with restricted_kpis (the held province's card has it then); the map and the province table
    give its values only for provinces held, and none without restricted_kpis; its series of an
    area outside is refused, and of the country (a roll-up) empty unless the scope is the country."""
    engine, checked, seen = world.engine, 0, set()
    for user in POPULATION:
        visit_scope = world.scope(user)
        may = "restricted_kpis" in roles()[user.role].may
        if (repr(visit_scope), may) in seen:  # the same scope and role's right: the same answers
            continue
        seen.add((repr(visit_scope), may))
        provinces = sorted(world.table.code[world.table.level == "province"])
        held = [p for p in provinces if visit_scope.holds(p)]
        outside = [p for p in provinces if not visit_scope.holds(p)]
        clusters = sorted(world.cluster_numbers)
        areas = [COUNTRY, *held[:1], *outside[:1], *[c for c in clusters if visit_scope.holds(c)][:1]]
        areas += [c for c in clusters if not visit_scope.holds(c)][:1]
        for code in areas:
            try:
                card = scorecard(engine, code, scope=visit_scope)
            except NotAllowed:
                assert not visit_scope.allows_area(code), (user.name, code)
                continue
            shown = restricted_ids(card)
            assert not shown or (may and visit_scope.holds(code)), (user.name, code, shown)
            if may and code in held:
                assert RESTRICTED[0] in shown, (user.name, code, shown)  # it is there for those who may
            checked += 1
        for kpi in RESTRICTED:
            mapped = set(map_values(engine, kpi, "province", scope=visit_scope)["area_code"])
            assert mapped <= (set(held) if may else set()), (user.name, kpi, sorted(mapped - set(held))[:5])
            districts = set(map_values(engine, kpi, "district", "50", scope=visit_scope)["area_code"])
            assert not districts or (may and visit_scope.holds("50")), (user.name, kpi)
            checked += 2
        table = province_table(engine, scope=visit_scope)
        assert set(table["area_code"]) <= set(held), user.name
        assert not restricted_ids(table) or may, user.name
        assert set(table[table["kpi_id"].isin(RESTRICTED)]["area_code"]) <= set(held), user.name
        if outside:
            with pytest.raises(NotAllowed):
                series(engine, RESTRICTED[0], outside[0], scope=visit_scope)
        national = series(engine, RESTRICTED[0], COUNTRY, scope=visit_scope)
        assert national.empty or (may and visit_scope.everything), (user.name, len(national))
        checked += 4
    TALLY.routes.add("query layer: restricted KPIs")
    TALLY.answers += checked


# =========================================================================== a leak found: restricted KPIs named


KPI_PLACES = {
    "overview: the map's choice of KPI (router /)": ("route", "/", ""),
    "cluster page: the map's choice of KPI (router /cluster/1)": ("route", "/cluster/1", ""),
    "province page: the district map's choice of KPI (router /province/50)": ("route", "/province/50", ""),
    "wall screen: map and trends slides (/wall/data?kpi=…&trends=…)": (
        "wall",
        f"/wall/data?province=50&kpi={RESTRICTED[0]}&trends={','.join(RESTRICTED)}&slides=map,trends",
        "",
    ),
}


@pytest.mark.parametrize("place", KPI_PLACES)
def test_lk040_LEAK_restricted_kpis_are_named_to_a_role_without_restricted_kpis(world, place):
    """PRODUCT LEAK, found by this module and left failing for its owner (issue 18, item 7).

    A KPI marked `restricted: true` must be absent for a role without restricted_kpis (roles.yaml;
    the /kpi/<id> page and the KPI download do refuse it). But a viewer of cluster 1 (holding
    Chiang Mai) is offered it, by id and name, in the overview's and the cluster page's map choice
    (options "kpi:suicide_rate", "kpi:dengue_per_100k": pages/overview.py and pages/cluster.py take
    `show_choices(catalog)` unfiltered), in the province page's district-map choice ("dengue_per_100k":
    pages/_frame.kpi_map, `district_kpis(catalog)` unfiltered) and on the wall screen, whose
    ?kpi= and ?trends= take any KPI of the catalog (layouts/views/wall.read_wall_config: the map
    and trend slides then name it, with its unit and thresholds). No value of it comes back (the
    query layer withholds them; asserted first): its existence, name, unit and thresholds do."""
    user = next(u for u in POPULATION if u.role == "viewer" and u.areas == ("C01",))
    visit = Visit(world, user)
    kind, path, search = KPI_PLACES[place]
    if kind == "route":
        answer = visit.client.post("/_dash-update-component", json=router_payload(path, f"?lang=th{search}"))
    else:
        answer = visit.client.get(path)
    assert answer.status_code == 200
    document = answer.get_json()
    assert not restricted_values(document, visit.oracle.kpis)
    assert not visit.oracle.json_leaks(document)
    named = visit.oracle.restricted(json.dumps(document, ensure_ascii=False))
    assert not named, f"{place} as {user.name}: " + "; ".join(named)


# =========================================================================== the tally


def test_lk099_the_tally(capsys):
    """The count: users × routes, the answers judged, and 0 leaks (printed whatever pytest captures)."""
    if not TALLY.users:
        pytest.skip("no user asked anything: run the module's other tests first")
    lines = [
        f"scope leaks: {len(TALLY.users)} users × {len(TALLY.routes)} routes ({TALLY.answers} answers checked): "
        f"{len(TALLY.leaks)} leaks, {len(TALLY.wrong)} wrong answers",
        f"restricted KPIs named (no values) to roles without restricted_kpis: {len(TALLY.named)} answers (test_lk040)",
    ]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert not TALLY.leaks, "\n".join(TALLY.leaks[:50])
