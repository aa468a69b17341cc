"""Administrative areas as rules: the clusters file, the reference list from `geothai`, and
resolving what people write (a code, a Thai or English name) to an area. No SQL here; the store's
copy of the areas is read by `data.store.areas`.

Provinces, districts and subdistricts (DOPA codes, Thai and English names) come from the
`geothai` package; regions and clusters from the editable, dated `data/clusters.yaml`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geothai
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

COUNTRY_CODE = "TH"
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def cluster_code(number: int) -> str:
    return f"C{number:02d}"


# --------------------------------------------------------------------------- clusters file


class RegionEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^R\d$")
    th: str
    en: str


class ClusterEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=99)
    region: str
    th: str
    en: str
    provinces: list[str]
    head: str | None = None
    head_verified: bool = False


class ClustersFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: dt.date
    source: str
    regions: list[RegionEntry]
    clusters: list[ClusterEntry]


class ClustersFileError(ValueError):
    """The clusters file is wrong; the message names the file and the reason."""


def load_clusters(path: Path | str) -> ClustersFile:
    """Read and check the regions/clusters file against the DOPA province list."""
    path = Path(path)
    try:
        parsed = ClustersFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ClustersFileError(f"{path}: {exc}") from exc
    provinces = {p.code for p in geothai.provinces()}
    regions = {r.code for r in parsed.regions}
    seen: dict[str, int] = {}
    for entry in parsed.clusters:
        if entry.region not in regions:
            raise ClustersFileError(f"{path}: cluster {entry.number}: unknown region {entry.region!r}")
        for code in entry.provinces:
            if code not in provinces:
                raise ClustersFileError(f"{path}: cluster {entry.number}: unknown province code {code!r}")
            if code in seen:
                raise ClustersFileError(
                    f"{path}: province {code} is in cluster {seen[code]} and cluster {entry.number}"
                )
            seen[code] = entry.number
        if entry.head is not None and entry.head not in entry.provinces:
            raise ClustersFileError(f"{path}: cluster {entry.number}: head {entry.head} is not a member")
    return parsed


# --------------------------------------------------------------------------- loading


def reference_area_rows(clusters: ClustersFile) -> list[dict]:
    """Every area row: country, regions, clusters, provinces, districts, subdistricts."""
    rows = [_area_row(COUNTRY_CODE, "country", "ประเทศไทย", "Thailand", None, None)]
    for region in clusters.regions:
        rows.append(_area_row(region.code, "region", region.th, region.en, COUNTRY_CODE, None))
    cluster_of: dict[str, str] = {}
    for entry in clusters.clusters:
        code = cluster_code(entry.number)
        rows.append(_area_row(code, "cluster", f"กลุ่มจังหวัด{entry.th}", f"{entry.en} cluster", entry.region, None))
        for province in entry.provinces:
            cluster_of[province] = code
    return rows + _administrative_rows(cluster_of)


def _administrative_rows(cluster_of: dict[str, str]) -> list[dict]:
    """The rows of every province (under its cluster, else the country), district and subdistrict."""
    rows = []
    for ref in geothai_areas():
        parent = cluster_of.get(ref.code, COUNTRY_CODE) if ref.level == "province" else ref.parent_code
        rows.append(_area_row(ref.code, ref.level, ref.name_th, ref.name_en, parent, ref.province_code))
    return rows


def _area_row(
    code: str, level: str, name_th: str, name_en: str, parent_code: str | None, province_code: str | None
) -> dict:
    return dict(
        code=code,
        level=level,
        name_th=name_th,
        name_en=name_en,
        parent_code=parent_code,
        province_code=province_code,
    )


# --------------------------------------------------------------------------- resolving names

_PREFIXES = (
    "กรุงเทพมหานคร",
    "จังหวัด",
    "จ.",
    "อำเภอ",
    "กิ่งอำเภอ",
    "อ.",
    "เขต",
    "ตำบล",
    "ต.",
    "แขวง",
    "changwat",
    "amphoe",
    "khet",
    "tambon",
    "khwaeng",
    "province",
    "district",
    "subdistrict",
)


_PROVINCE_ALIASES = {"กทม": "10", "กรุงเทพ": "10", "bangkok": "10", "อยุธยา": "14", "ayutthaya": "14"}


def normalize_name(text: str) -> str:
    """A comparable form of an area name: NFC, lower case, no spaces, dots, dashes or prefixes."""
    text = unicodedata.normalize("NFC", str(text)).strip().lower().translate(THAI_DIGITS)
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            if prefix == "กรุงเทพมหานคร":
                break  # Bangkok is named in full
            text = text[len(prefix) :]
            break
    return re.sub(r"[\s.\-'’_]+", "", text)


def normalize_code(text: str) -> str | None:
    """The bare DOPA code in `text` ("TH50", "th5001", "๕๐", " 50 "), or None if it is no code."""
    text = str(text).strip().translate(THAI_DIGITS).upper()
    if text.endswith(".0"):  # spreadsheets turn codes into floats
        text = text[:-2]
    if text.startswith("TH"):
        text = text[2:]
    return text if re.fullmatch(r"\d{2}|\d{4}|\d{6}", text) else None


@dataclass(frozen=True)
class AreaRef:
    code: str
    level: str
    name_th: str
    name_en: str
    parent_code: str | None
    province_code: str | None


class AreaNotFound(LookupError):
    pass


class AmbiguousArea(LookupError):
    def __init__(self, text: str, candidates: list[AreaRef]):
        self.candidates = candidates
        names = ", ".join(f"{c.code} {c.name_th}" for c in candidates[:5])
        super().__init__(f"{text!r} matches {len(candidates)} areas ({names}); give the code")


class AreaIndex:
    """Resolve codes and Thai or English names of provinces, districts and subdistricts."""

    def __init__(self, refs: list[AreaRef]):
        self.by_code: dict[str, AreaRef] = {ref.code: ref for ref in refs}
        self._by_name: dict[tuple[str, str], list[AreaRef]] = {}
        for ref in refs:
            if ref.level not in ("province", "district", "subdistrict"):
                continue
            for name in {normalize_name(ref.name_th), normalize_name(ref.name_en)}:
                self._by_name.setdefault((ref.level, name), []).append(ref)
        for alias, code in _PROVINCE_ALIASES.items():
            if code in self.by_code:
                self._by_name.setdefault(("province", alias), [self.by_code[code]])

    @classmethod
    def from_geothai(cls) -> "AreaIndex":
        return _geothai_index()

    def resolve(self, text: str, level: str | None = None, within: str | None = None) -> AreaRef:
        """The area that `text` names: a code first, then a name at `level` inside `within`.

        Raises AreaNotFound or AmbiguousArea with a message fit to show the user.
        """
        code = normalize_code(text)
        if code is not None:
            ref = self.by_code.get(code)
            if ref is None:
                raise AreaNotFound(f"no area has the code {code!r}")
            if level is not None and ref.level != level:
                raise AreaNotFound(f"code {code!r} is a {ref.level}, not a {level}")
            return ref
        name = normalize_name(text)
        levels = [level] if level else ["province", "district", "subdistrict"]
        for candidate_level in levels:
            found = self._by_name.get((candidate_level, name), [])
            if within is not None:
                found = [ref for ref in found if self._is_within(ref, within)]
            if not found and candidate_level == "district" and name in ("เมือง", "mueang"):
                found = [
                    ref
                    for ref in self.by_code.values()
                    if ref.level == "district"
                    and ref.code.endswith("01")
                    and ref.province_code != "10"
                    and (within is None or self._is_within(ref, within))
                ]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise AmbiguousArea(str(text), found)
        where = f" in {within}" if within else ""
        raise AreaNotFound(f"no {level or 'area'} is named {str(text).strip()!r}{where}")

    def suggest(self, text: str, level: str | None = None, count: int = 3) -> str:
        """Close names of areas (at `level`, else any), for a "did you mean": "'Chiang Mai' (50)
        or …", or "" when nothing is close."""
        import difflib

        name = normalize_name(text)
        keys = [key for key in self._by_name if level is None or key[0] == level]
        close = difflib.get_close_matches(name, [key[1] for key in keys], n=count * 2, cutoff=0.75)
        refs: list[AreaRef] = []
        for match in close:
            for key in keys:
                if key[1] == match:
                    refs.extend(ref for ref in self._by_name[key] if ref not in refs)
        rank = {"province": 0, "district": 1, "subdistrict": 2}
        refs.sort(
            key=lambda ref: (
                -difflib.SequenceMatcher(
                    None,
                    name,
                    normalize_name(ref.name_th if any("\u0e00" <= ch <= "\u0e7f" for ch in str(text)) else ref.name_en),
                ).ratio(),
                rank.get(ref.level, 3),
            )
        )
        thai = any("\u0e00" <= ch <= "\u0e7f" for ch in str(text))
        shown = [f"{(ref.name_th if thai else ref.name_en)!r} ({ref.code})" for ref in refs[:count]]
        return " or ".join(shown)

    def _is_within(self, ref: AreaRef, ancestor: str) -> bool:
        current: AreaRef | None = ref
        while current is not None:
            if current.code == ancestor:
                return True
            current = self.by_code.get(current.parent_code) if current.parent_code else None
        return False


def geothai_areas():
    """Every province (its parent the country), district and subdistrict `geothai` knows, as
    `AreaRef`s, provinces first and each followed by its districts and their subdistricts."""
    for province in geothai.provinces():
        yield AreaRef(province.code, "province", province.name_th, province.name_en, COUNTRY_CODE, province.code)
        for district in geothai.districts(province.code):
            yield AreaRef(district.code, "district", district.name_th, district.name_en, province.code, province.code)
            for sub in geothai.subdistricts(district.code):
                yield AreaRef(sub.code, "subdistrict", sub.name_th, sub.name_en, district.code, province.code)


@lru_cache(maxsize=1)
def _geothai_index() -> AreaIndex:
    return AreaIndex(list(geothai_areas()))


# --------------------------------------------------------------------------- names by language

BANGKOK = "10"  # กรุงเทพมหานคร: a special administrative area, never called จังหวัด ("province of")


def name_column(language: str) -> str:
    """The column holding a name in `language` (an area's, a KPI's): `name_en` for English, else `name_th`."""
    return "name_en" if language == "en" else "name_th"


def area_name(row, language: str) -> str:
    """An area's name in `language` from anything indexed by `name_th`/`name_en` (a row, a dict),
    the Thai name where the English one is missing."""
    name = row.get(name_column(language)) if hasattr(row, "get") else row[name_column(language)]
    if not isinstance(name, str) or not name:
        name = row["name_th"]
    return str(name)


def called_province(code: str, level: str = "province") -> bool:
    """Whether an area's title says "province of …" (จังหวัด…): every province but Bangkok."""
    return level == "province" and code != BANGKOK


def in_bangkok(code) -> bool:
    """Whether the area of DOPA `code` is Bangkok or lies in it (10, a khet 10xx, a khwaeng 10xxxx)."""
    text = str(code or "")
    return text.isdigit() and len(text) in (2, 4, 6) and text[:2] == BANGKOK


def local_terms(text: str, code) -> str:
    """The Bangkok rule in words: Bangkok's districts are เขต (khet) and its subdistricts แขวง
    (khwaeng), never อำเภอ/ตำบล; Thai `text` about Bangkok or an area in it says so (English keeps
    "district" and "subdistrict"). Text about any other area is returned as it is."""
    if not in_bangkok(code):
        return text
    return text.replace("อำเภอ", "เขต").replace("ตำบล", "แขวง")
