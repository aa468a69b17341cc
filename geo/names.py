"""Whether the name a feature carries is an area's: bare names, their agreement, siblings.

A file may spell a name with or without its administrative prefix ("อำเภอ", "Amphoe"), cut
short to the width of a DBF field, or respelt; a feature matched by code must still carry
its area's name and not a sibling's.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from data.rules.areas import AreaIndex, AreaRef, normalize_name
from geo.columns import LEVELS, THAI_LETTER

# Prefixes and suffixes a file may put around a name (after `normalize_name`, which already
# strips one prefix and every space): "อำเภอ", "เขต", "Amphoe", "Khet", "… District".
_ADMIN_PREFIXES = (
    "กิ่งอำเภอ",
    "อำเภอ",
    "เขต",
    "ตำบล",
    "แขวง",
    "จังหวัด",
    "อ.",
    "ต.",
    "จ.",
    "kingamphoe",
    "amphoe",
    "amphur",
    "amphor",
    "khet",
    "tambon",
    "tambol",
    "khwaeng",
    "changwat",
)
_ADMIN_SUFFIXES = ("subdistrict", "district", "province")
_CAPITAL = ("เมือง", "mueang", "muang")


def bare_name(text: str) -> str:
    """The comparable core of an area name: `normalize_name` without administrative prefixes
    or suffixes ("อำเภอเมืองเชียงใหม่", "Amphoe Mueang Chiang Mai", "Mueang Chiang Mai District")."""
    name = normalize_name(text)
    for _ in range(2):
        for prefix in _ADMIN_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix):
                name = name[len(prefix) :]
                break
        for suffix in _ADMIN_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
    return name


_PARENTHESIS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]\s*")


def name_variants(text: str) -> tuple[str, ...]:
    """The bare names `text` gives: itself and, for "ปอภาร (ปอพาน)", each of its two spellings."""
    names = [bare_name(text)]
    if _PARENTHESIS.search(text):
        names += [bare_name(_PARENTHESIS.sub(" ", text))] + [bare_name(inner) for inner in _PARENTHESIS.findall(text)]
    return tuple(dict.fromkeys(name for name in names if name))


def _agreement(a: str, b: str) -> tuple[int, float]:
    """How two bare names agree: (3, 1) equal; (2, r) one is the other cut short (a DBF field
    width truncates long Thai names), keeping at least 12 characters or 60 % of it; (1, r)
    respelt (ratio r ≥ 0.75: another final consonant, RTGS variants); (0, r) they differ."""
    if a == b:
        return 3, 1.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and len(short) >= min(12, 0.6 * len(long)):
        return 2, ratio
    return (1 if ratio >= 0.75 else 0), ratio


def names_agree(a: str, b: str) -> bool:
    """Whether two spellings plausibly name the same area: equal once prefixes (อำเภอ, เขต,
    Amphoe, Khet…), spaces and case are set aside, one cut short (file names are often
    truncated to the width of a DBF field), or spelt with another final consonant.

    Siblings can agree by this test ("นนทบุรี", "จันทบุรี"): `match_features` also checks
    that no other area of the same parent is named closer."""
    first, second = name_variants(a), name_variants(b)
    if not first or not second:
        return True
    return any(_agreement(x, y)[0] > 0 for x in first for y in second)


class _Siblings:
    """Areas of one level under one parent, by bare name: the names a feature matched by code
    could carry if the file numbers them in another order."""

    def __init__(self, index: AreaIndex):
        self._groups: dict[tuple[str, str | None], list[AreaRef]] = defaultdict(list)
        for ref in index.by_code.values():
            if ref.level in LEVELS:
                self._groups[(ref.level, ref.parent_code)].append(ref)
        self._bare: dict[tuple[str, str], tuple[str, ...]] = {}
        self._named: dict[tuple[str, str | None, str], dict[str, list[AreaRef]]] = {}

    def bare(self, ref: AreaRef, language: str) -> tuple[str, ...]:
        key = (ref.code, language)
        if key not in self._bare:
            self._bare[key] = name_variants(ref.name_th if language == "th" else ref.name_en)
        return self._bare[key]

    def agreement(self, name: str, ref: AreaRef, language: str) -> tuple[int, float]:
        """How `name` agrees with the best of `ref`'s spellings (see `_agreement`)."""
        return max((_agreement(name, own) for own in self.bare(ref, language)), default=(0, 0.0))

    def of(self, ref: AreaRef) -> list[AreaRef]:
        return [other for other in self._groups[(ref.level, ref.parent_code)] if other.code != ref.code]

    def named(self, ref: AreaRef, language: str, name: str) -> list[AreaRef]:
        """The siblings of `ref` (not itself) whose bare name is `name`."""
        key = (ref.level, ref.parent_code, language)
        if key not in self._named:
            table: dict[str, list[AreaRef]] = defaultdict(list)
            for other in self._groups[(ref.level, ref.parent_code)]:
                for variant in self.bare(other, language):
                    table[variant].append(other)
            self._named[key] = table
        return [other for other in self._named[key].get(name, []) if other.code != ref.code]


def _name_check(ref: AreaRef, name_th: str | None, name_en: str | None, siblings: _Siblings) -> str | None:
    """Why a feature matched to `ref` by code does not carry `ref`'s name, or None if it does
    (or carries no name). Its Thai name decides when it has one, else its English name.

    The name differs when it is not `ref`'s by `names_agree`, when it is exactly another
    sibling's (same level and parent), or when it is only a respelling of `ref`'s and closer to
    a sibling's. "เมือง" or "Muang" alone is the capital district's name."""
    text = name_th or name_en
    if not text:
        return None
    language = "th" if THAI_LETTER.search(text) else "en"
    names = name_variants(text)
    if not names or not siblings.bare(ref, language):
        return None
    tier, ratio = max(siblings.agreement(variant, ref, language) for variant in names)
    if tier == 3:
        return None
    if tier == 0 and names[0] in _CAPITAL and siblings.bare(ref, language)[0].startswith(_CAPITAL):
        tier = 2  # "เมือง", "Muang" for the capital district
    store_name = ref.name_th if language == "th" else ref.name_en
    rival = _rival(ref, names, tier, ratio, language, siblings)
    if rival is not None:
        return _rival_reason(ref, store_name, *rival)
    if tier == 0:
        return (
            f"the store's {ref.level} {ref.code} is {store_name} ({ref.name_en if language == 'th' else ref.name_th})"
        )
    return None


def _rival(
    ref: AreaRef, names: tuple[str, ...], tier: int, ratio: float, language: str, siblings: _Siblings
) -> tuple[int, AreaRef] | None:
    """The sibling of `ref` whose name the feature carries, with how the names agree (see
    `_agreement`): one named exactly so; or, when the name is only a respelling of `ref`'s
    (`tier` below 2, `ratio`), the sibling it is closest to, if closer; else None."""
    for variant in names:
        named = siblings.named(ref, language, variant)
        if named:
            return 3, named[0]
    if tier >= 2:
        return None
    # a respelling closer to a sibling's name than to its own; a sibling's, cut short
    closer = [
        (other_tier, other_ratio, other)
        for other in siblings.of(ref)
        for other_tier, other_ratio in [siblings.agreement(names[0], other, language)]
        if other_tier >= 1 and other_ratio > ratio
    ]
    if not closer:
        return None
    other_tier, _, other = max(closer, key=lambda found: found[:2])
    return other_tier, other


def _rival_reason(ref: AreaRef, store_name: str, other_tier: int, other: AreaRef) -> str:
    if other_tier >= 2:
        return (
            f"the store's {ref.level} {ref.code} is {store_name}; the name is that of "
            f"{other.code} {other.name_th} ({other.name_en}): codes in this file follow another order"
        )
    return (
        f"the store's {ref.level} {ref.code} is {store_name}; the name is closer to that of "
        f"{other.code} {other.name_th} ({other.name_en}): the codes may follow another order"
    )
