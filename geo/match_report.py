"""The match report of a boundary file: what became of each feature, and why.

Every feature of the file is matched or listed with its reason (`FeatureIssue`), and each
has one row (`FeatureOutcome`) in the report's CSV.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class MatchError(ValueError):
    """The file's columns cannot be matched to areas at all (no code or name column)."""


@dataclass
class FeatureIssue:
    """A feature that was not matched (or matched with a doubt), with what it carried."""

    index: int
    code: str | None
    name: str | None
    reason: str


# The outcome of each feature, as the match report (and its CSV) names it.
MATCHED_BY_CODE = "matched by code"
MATCHED_BY_NAME = "matched by name"
NAME_DIFFERS = "name differs, not imported"
UNMATCHED = "unmatched"
AMBIGUOUS = "ambiguous"
INVALID_GEOMETRY = "invalid geometry"
OUTCOMES = (MATCHED_BY_CODE, MATCHED_BY_NAME, NAME_DIFFERS, UNMATCHED, AMBIGUOUS, INVALID_GEOMETRY)
REPORT_COLUMNS = (
    "feature",
    "file_code",
    "file_name_th",
    "file_name_en",
    "matched_code",
    "store_name",
    "outcome",
    "reason",
)


@dataclass
class FeatureOutcome:
    """What became of one feature of the file: one row of the match report's CSV."""

    index: int
    file_code: str | None
    file_name_th: str | None
    file_name_en: str | None
    matched_code: str | None
    store_name: str | None
    outcome: str
    reason: str = ""

    @property
    def imported(self) -> bool:
        return self.outcome in (MATCHED_BY_CODE, MATCHED_BY_NAME)


@dataclass
class MatchReport:
    """What an import of a boundary file found: every feature is counted or listed.

    `name_differs` lists features matched by code whose name is not the store's name for
    that code: they are not imported unless `trust_codes` (then they are, and still listed).
    `invalid` lists features whose geometry cannot be used (missing, empty, not a polygon,
    non-finite coordinates, beyond repair); an area is imported whole or not at all, so the
    other pieces of an area with such a feature are listed there too. `outcomes` has one row
    per feature (see `write_csv`).
    """

    source: str
    level: str
    code_column: str | None = None
    name_th_column: str | None = None
    name_en_column: str | None = None
    parent_column: str | None = None
    features_read: int = 0
    matched_features: int = 0
    matched_areas: int = 0
    matched_by: dict[str, int] = field(default_factory=dict)
    unmatched: list[FeatureIssue] = field(default_factory=list)
    ambiguous: list[FeatureIssue] = field(default_factory=list)
    name_differs: list[FeatureIssue] = field(default_factory=list)
    recoded: list[FeatureIssue] = field(default_factory=list)
    invalid: list[FeatureIssue] = field(default_factory=list)
    trust_codes: bool = False
    crs: str | None = None
    areas_of_level: int = 0
    areas_without_boundary: int = 0
    areas_without_boundary_codes: list[str] = field(default_factory=list)
    repaired_geometries: int = 0
    pieces_merged: int = 0
    import_id: int | None = None
    outcomes: list[FeatureOutcome] = field(default_factory=list, repr=False)

    @property
    def name_differs_label(self) -> str:
        return "name differs, imported (--trust-codes)" if self.trust_codes else NAME_DIFFERS

    def summary(self, limit: int = 50) -> str:
        """One paragraph for the import log and the CLI, then the listed features (the first
        `limit` of each kind)."""
        by = ", ".join(f"{n} by {how.replace('_', ' ')}" for how, n in self.matched_by.items() if n)
        lines = [
            f"{self.source}: {self.level} boundaries; {self.features_read} features read, "
            f"{self.matched_features} matched ({by or 'none'}) to {self.matched_areas} of "
            f"{self.areas_of_level} {self.level} areas; {len(self.unmatched)} unmatched, "
            f"{len(self.ambiguous)} ambiguous, {len(self.name_differs)} {self.name_differs_label}, "
            f"{len(self.invalid)} invalid geometry; {self.repaired_geometries} geometries repaired; "
            f"{self.pieces_merged} pieces merged; {self.areas_without_boundary} areas without boundary"
            + (
                f" (first: {', '.join(self.areas_without_boundary_codes[:10])})"
                if self.areas_without_boundary_codes
                else ""
            )
            + ".",
            f"columns: code={self.code_column}, name_th={self.name_th_column}, "
            f"name_en={self.name_en_column}, parent={self.parent_column}"
            + (f"; coordinates: {self.crs}" if self.crs else ""),
        ]
        for title, issues in (
            ("unmatched", self.unmatched),
            ("ambiguous", self.ambiguous),
            ("matched by name, not code", self.recoded),
            (self.name_differs_label, self.name_differs),
            ("invalid geometry", self.invalid),
        ):
            for issue in issues[:limit]:
                lines.append(f"{title}: feature {issue.index} code={issue.code} name={issue.name}: {issue.reason}")
            if len(issues) > limit:
                lines.append(f"{title}: … and {len(issues) - limit} more")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return asdict(self)

    def write_csv(self, path) -> int:
        """Write every feature's outcome to `path` as CSV (UTF-8 with a BOM, so Excel shows
        Thai); returns the number of rows. Columns: `REPORT_COLUMNS`."""
        import csv

        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(REPORT_COLUMNS)
            for row in self.outcomes:
                writer.writerow(
                    [
                        row.index,
                        row.file_code or "",
                        row.file_name_th or "",
                        row.file_name_en or "",
                        row.matched_code or "",
                        row.store_name or "",
                        row.outcome,
                        row.reason,
                    ]
                )
        return len(self.outcomes)
