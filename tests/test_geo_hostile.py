"""Boundary files that would corrupt the store if taken at their word (issue 14).

- codes that follow another order than the store's (Bangkok's districts): a feature whose
  name is not the store's name for its code is not imported unless `--trust-codes`;
- coordinates that are not lon/lat in Thailand (UTM metres without a CRS, latitude and
  longitude swapped, a wrong declared CRS, a polygon covering the globe): refused, with the
  likely CRS named;
- geometries beyond repair (unclosed rings, NaN, empty, collapsed): listed, never a traceback;
- a hypothesis fuzz suite of generated GeoJSON files: every file is either imported correctly
  or refused with a one-line message, and a refused file leaves the store as it was but for a
  `failed` row in the import log.
"""

from __future__ import annotations

import csv
import json
import math
import os
import time
from pathlib import Path

import geopandas
import pytest
import shapely
import shapely.errors
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

import data.store.boundary_import
from data.rules.areas import AreaIndex
from data.store.areas import area_index
from data.store.boundary_import import NothingMatched, import_boundaries
from data.store.schema import Boundary, ImportLog, KpiValue, Meta
from geo.match_report import INVALID_GEOMETRY, MATCHED_BY_CODE, NAME_DIFFERS, OUTCOMES, REPORT_COLUMNS
from geo.names import _name_check, _Siblings, bare_name, names_agree
from geo.read import ALLOWED_EXTENT, BoundaryFileError, read_boundary_file
from geo.shapes import repair_with_reasons

PROVINCES = "thailand_provinces_adm1.geojson"
DISTRICTS = "thailand_districts_adm2.geojson"
THAILAND = (97.0, 5.3, 105.9, 20.7)  # lon/lat box around the country (as in test_geo)


# --------------------------------------------------------------------------- helpers


def _log(engine) -> list[tuple]:
    with engine.connect() as connection:
        return connection.execute(
            select(ImportLog.id, ImportLog.status, ImportLog.source_name, ImportLog.message).order_by(ImportLog.id)
        ).all()


def _boundaries(engine) -> dict[tuple[str, str], tuple]:
    """Every stored boundary row, by (area, detail)."""
    with engine.connect() as connection:
        rows = connection.execute(select(Boundary.area_code, Boundary.detail, Boundary.geojson, Boundary.import_id))
        return {(code, detail): (geojson, import_id) for code, detail, geojson, import_id in rows}


def _state(engine) -> tuple:
    """What a refused import must leave as it was: boundaries, values, the data version."""
    with engine.connect() as connection:
        values = connection.execute(select(func.count()).select_from(KpiValue)).scalar_one()
        version = connection.execute(select(Meta.value).where(Meta.key == "data_version")).scalar_one_or_none()
    return _boundaries(engine), values, version


def _shape(engine, code: str, detail: str = "full"):
    row = _boundaries(engine).get((code, detail))
    return None if row is None else shapely.from_geojson(row[0])


def _assert_refused(engine, before, path: Path, exc: BaseException) -> None:
    message = str(exc)
    assert message.startswith(f"{path.name}: ") and "\n" not in message, message
    assert "Traceback" not in message
    assert _state(engine) == before, "a refused file changed the store"
    newest = _log(engine)[-1]
    assert newest[1:3] == ("failed", path.name)
    assert newest[3] == message[:20000]


@pytest.fixture(scope="module")
def index() -> AreaIndex:
    return AreaIndex.from_geothai()


def _bangkok_file(shared_geo: Path, folder: Path, scrambled: int = 36) -> tuple[Path, geopandas.GeoDataFrame]:
    """Bangkok's and Nonthaburi's districts in another schema (4-digit `id`, `name`, `name_en`),
    `scrambled` of Bangkok's 50 numbered in another order: each carries the next one's code."""
    source = geopandas.read_file(shared_geo / DISTRICTS)
    source = source[source["ADM1_PCODE"].isin(["TH10", "TH12"])].sort_values("ADM2_PCODE").reset_index(drop=True)
    frame = geopandas.GeoDataFrame(
        {"id": source["ADM2_PCODE"].str[2:], "name": source["ADM2_TH"], "name_en": source["ADM2_EN"]},
        geometry=source.geometry,
        crs="EPSG:4326",
    )
    moved = list(frame.index[frame["id"].str.startswith("10")][:scrambled])
    codes = list(frame.loc[moved, "id"])
    frame["true_code"] = frame["id"]
    frame.loc[moved, "id"] = codes[1:] + codes[:1]
    path = folder / f"bangkok_{scrambled}.geojson"
    frame[["id", "name", "name_en", "geometry"]].to_file(path, driver="GeoJSON")
    return path, frame


# --------------------------------------------------------------------------- names


def test_hos001_names_agree_across_prefixes_spacing_and_case():
    assert names_agree("อำเภอเมืองเชียงใหม่", "เมืองเชียงใหม่")
    assert names_agree("เขตดุสิต", "ดุสิต") and names_agree("Khet Dusit", "DUSIT")
    assert names_agree("Amphoe Mueang Chiang Mai", "mueang  chiang-mai")
    assert names_agree("Mueang Chiang Mai District", "Mueang Chiang Mai")
    assert names_agree("ป้อมปราบศัตรูพ่า", "เขตป้อมปราบศัตรูพ่าย")  # cut to a DBF field's width
    assert names_agree("วังหงษ์", "วังหงส์")  # another final consonant
    assert bare_name("กิ่งอำเภอ ภูเพียง") == "ภูเพียง"
    assert not names_agree("พระนคร", "เขตดุสิต")
    assert not names_agree("Phra Nakhon", "Dusit")


def test_hos002_no_area_accepts_a_siblings_name(index):
    """For every province and district (and Bangkok's subdistricts), the name of any other
    area with the same parent is refused as the name of its code, in Thai and in English
    (but for siblings that share a name: Bang Sai 1404 and 1413 in English)."""
    siblings = _Siblings(index)
    refs = [
        r
        for r in index.by_code.values()
        if r.level in ("province", "district") or (r.level == "subdistrict" and r.code.startswith("10"))
    ]
    accepted = []
    for ref in refs:
        assert _name_check(ref, ref.name_th, None, siblings) is None, ref
        assert _name_check(ref, None, ref.name_en, siblings) is None, ref
        for other in siblings.of(ref):
            if _name_check(ref, other.name_th, None, siblings) is None:
                accepted.append((ref.code, other.code, "th"))
            if (
                bare_name(other.name_en) != bare_name(ref.name_en)
                and _name_check(ref, None, other.name_en, siblings) is None
            ):
                accepted.append((ref.code, other.code, "en"))
    assert accepted == []
    dusit = index.by_code["1002"]
    assert "name is that of 1008 เขตป้อมปราบศัตรูพ่าย" in _name_check(dusit, "ป้อมปราบศัตรูพ่าย", None, siblings)
    assert _name_check(index.by_code["5001"], "เมือง", None, siblings) is None
    assert _name_check(index.by_code["5001"], None, "Amphoe Muang", siblings) is None


# --------------------------------------------------------------------------- codes in another order


def test_hos003_bangkok_districts_in_another_code_order_are_not_imported(store, shared_geo, tmp_path):
    right, _ = _bangkok_file(shared_geo, tmp_path, scrambled=0)
    first = import_boundaries(store, right)
    assert (first.matched_features, first.name_differs) == (56, [])
    dusit_before = _shape(store, "1002")
    scrambled, frame = _bangkok_file(shared_geo, tmp_path)

    report = import_boundaries(store, scrambled)

    assert (report.features_read, report.matched_features, len(report.name_differs)) == (56, 20, 36)
    assert report.matched_by == {"code": 20, "name_th": 0, "name_en": 0}
    dusit = next(issue for issue in report.name_differs if issue.code == "1002")
    assert dusit.name == "พระนคร"
    assert dusit.reason == (
        "the store's district 1002 is เขตดุสิต; the name is that of 1001 เขตพระนคร "
        "(Phra Nakhon): codes in this file follow another order"
    )
    assert all("codes in this file follow another order" in issue.reason for issue in report.name_differs)
    summary = report.summary()
    assert "36 name differs, not imported" in summary
    assert "name differs, not imported: feature 0 code=1002 name=พระนคร" in summary
    # the 36 keep the shapes they had; Dusit is still Dusit
    stored = _boundaries(store)
    moved = set(frame.loc[frame["id"] != frame["true_code"], "true_code"])
    assert len(moved) == 36
    assert {stored[(code, "full")][1] for code in moved} == {first.import_id}
    assert {stored[(code, "full")][1] for code in set(frame["true_code"]) - moved} == {report.import_id}
    assert _shape(store, "1002").equals(dusit_before)
    assert _log(store)[-1][1] == "ok"

    trusted = import_boundaries(store, scrambled, trust_codes=True)

    assert (trusted.matched_features, len(trusted.name_differs)) == (56, 36)
    assert "36 name differs, imported (--trust-codes)" in trusted.summary()
    phra_nakhon = frame.loc[frame["true_code"] == "1001"].geometry.iloc[0]
    assert _shape(store, "1002").bounds == pytest.approx(phra_nakhon.bounds, abs=1e-5)  # what trust means
    outcome = next(row for row in trusted.outcomes if row.file_code == "1002")
    assert outcome.outcome == MATCHED_BY_CODE and "imported because of --trust-codes" in outcome.reason


def test_hos004_a_file_whose_every_code_is_out_of_order_matches_nothing(store, shared_geo, tmp_path):
    source = geopandas.read_file(shared_geo / PROVINCES).sort_values("ADM1_PCODE").reset_index(drop=True)
    source["ADM1_PCODE"] = list(source["ADM1_PCODE"][1:]) + [source["ADM1_PCODE"][0]]
    path = tmp_path / "provinces_shifted.geojson"
    source.to_file(path, driver="GeoJSON")
    before = _state(store)

    with pytest.raises(NothingMatched) as refused:
        import_boundaries(store, path)

    _assert_refused(store, before, path, refused.value)
    assert "77 name differs" in str(refused.value)
    assert len(refused.value.report.outcomes) == 77
    assert {row.outcome for row in refused.value.report.outcomes} == {NAME_DIFFERS}


def _cli(store, *arguments: str):
    """`poc import-boundaries …` on `store` (the configured store; engines are cached per URL)."""
    import settings
    from cli.main import poc
    from data.store.engine import command_engine

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", store.url.render_as_string(hide_password=False))
        settings.get_settings.cache_clear()
        try:
            assert command_engine().url == store.url  # the commands' engine (cached per URL)
            return CliRunner().invoke(poc, ["import-boundaries", *arguments])
        finally:
            settings.get_settings.cache_clear()


def _read_report(path: Path) -> list[dict]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "no BOM: Excel would show mojibake"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_hos005_cli_report_csv_lists_every_feature(store, shared_geo, tmp_path):
    scrambled, frame = _bangkok_file(shared_geo, tmp_path)
    report_path = tmp_path / "report.csv"

    result = _cli(store, str(scrambled), "--report", str(report_path))

    assert result.exit_code == 0, result.output
    assert "36 name differs, not imported" in result.output
    listed = [line for line in result.output.splitlines() if line.startswith("name differs, not imported: feature")]
    assert len(listed) == 20 and "name differs, not imported: … and 16 more" in result.output
    assert "report: 56 features written to" in result.output
    rows = _read_report(report_path)
    assert list(rows[0]) == list(REPORT_COLUMNS)
    assert [int(row["feature"]) for row in rows] == list(range(56))
    assert {row["outcome"] for row in rows} <= set(OUTCOMES)
    assert sum(row["outcome"] == NAME_DIFFERS for row in rows) == 36
    assert sum(row["outcome"] == MATCHED_BY_CODE for row in rows) == 20
    dusit = next(row for row in rows if row["file_code"] == "1002")
    assert (dusit["file_name_th"], dusit["file_name_en"], dusit["matched_code"], dusit["store_name"]) == (
        "พระนคร",
        "Phra Nakhon",
        "1002",
        "เขตดุสิต",
    )
    assert "1001 เขตพระนคร" in dusit["reason"]
    nonthaburi = next(row for row in rows if row["file_code"] == "1201")
    assert (nonthaburi["outcome"], nonthaburi["matched_code"], nonthaburi["reason"]) == (MATCHED_BY_CODE, "1201", "")

    trusted = _cli(store, str(scrambled), "--trust-codes", "--report", str(report_path))

    assert trusted.exit_code == 0, trusted.output
    assert "56 matched" in trusted.output and "36 name differs, imported (--trust-codes)" in trusted.output
    assert sum(row["outcome"] == MATCHED_BY_CODE for row in _read_report(report_path)) == 56


def test_hos006_cli_refuses_utm_without_crs_and_takes_crs_option(store, shared_geo, tmp_path):
    path = _utm_geojson(shared_geo, tmp_path)
    report_path = tmp_path / "report.csv"

    refused = _cli(store, str(path), "--report", str(report_path))

    assert refused.exit_code == 1
    assert "Error: provinces_utm.geojson: 77 of 77 features lie outside Thailand" in refused.output
    assert "--crs EPSG:32647" in refused.output and "Traceback" not in refused.output
    assert "no report written" in refused.output and not report_path.exists()

    imported = _cli(store, str(path), "--crs", "EPSG:32647", "--report", str(report_path))

    assert imported.exit_code == 0, imported.output
    assert "77 matched" in imported.output
    assert "coordinates: WGS 84 / UTM zone 47N (EPSG:32647), as given with --crs" in imported.output
    assert len(_read_report(report_path)) == 77
    bad = _cli(store, str(path), "--crs", "EPSG:9999999")
    assert bad.exit_code == 1 and "is not a coordinate reference system" in bad.output


# --------------------------------------------------------------------------- coordinates


def _write_features(path: Path, features: list[dict], crs: str | None = None) -> Path:
    collection = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")  # NaN, Infinity as JS tokens
    return path


def _province_features(shared_geo: Path, transform=None) -> list[dict]:
    source = geopandas.read_file(shared_geo / PROVINCES)
    geometries = source.geometry.values if transform is None else shapely.transform(source.geometry.values, transform)
    return [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name},
            "geometry": json.loads(shapely.to_geojson(geometry)),
        }
        for code, name, geometry in zip(source["ADM1_PCODE"], source["ADM1_TH"], geometries)
    ]


def _utm_geojson(shared_geo: Path, folder: Path) -> Path:
    """The provinces in UTM 47N metres, in a GeoJSON that does not say so."""
    source = geopandas.read_file(shared_geo / PROVINCES).to_crs("EPSG:32647")
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name},
            "geometry": json.loads(shapely.to_geojson(geometry)),
        }
        for code, name, geometry in zip(source["ADM1_PCODE"], source["ADM1_TH"], source.geometry)
    ]
    return _write_features(folder / "provinces_utm.geojson", features)


def test_hos007_utm_metres_without_crs_are_refused_naming_the_crs(store, shared_geo, tmp_path):
    path = _utm_geojson(shared_geo, tmp_path)
    import_boundaries(store, shared_geo / PROVINCES)
    before = _state(store)

    with pytest.raises(BoundaryFileError) as refused:
        import_boundaries(store, path)

    _assert_refused(store, before, path, refused.value)
    message = str(refused.value)
    assert "77 of 77 features lie outside Thailand" in message
    assert "as GeoJSON is read unless it declares another CRS" in message
    assert "look like projected metres and fall in Thailand as WGS 84 / UTM zone 47N (EPSG:32647)" in message
    assert "Indian 1975 / UTM zone 47N (EPSG:24047)" in message
    assert "--crs EPSG:32647" in message and message.endswith("nothing was imported")

    report = import_boundaries(store, path, crs="EPSG:32647")
    assert report.matched_features == 77
    assert shapely.Point(98.99, 18.79).within(_shape(store, "50"))  # Chiang Mai's old city


def test_hos008_swapped_latitude_and_longitude_are_refused(store, shared_geo, tmp_path):
    path = _write_features(tmp_path / "swapped.geojson", _province_features(shared_geo, lambda xy: xy[:, ::-1]))
    before = _state(store)

    with pytest.raises(BoundaryFileError) as refused:
        import_boundaries(store, path)

    _assert_refused(store, before, path, refused.value)
    assert "latitude and longitude look swapped" in str(refused.value)


@pytest.mark.parametrize(
    "case, expected",
    [
        ("globe", r"feature 77: spanning lon -180\.0 to 180\.0, lat -90\.0 to 90\.0, far more than Thailand"),
        ("elsewhere", r"feature 77: elsewhere \(lon 2\.30 to 2\.40, lat 48\.80 to 48\.90\)"),
        (
            "wrong_prj",
            r"the coordinates are longitude/latitude in Thailand .*not WGS 84 / UTM zone 47N \(EPSG:32647\): "
            r"the declared CRS is wrong",
        ),
        ("other_zone", r"fall in Thailand as WGS 84 / UTM zone 47N \(EPSG:32647\)"),
    ],
)
def test_hos009_coordinates_outside_thailand_refuse_the_file(store, shared_geo, tmp_path, case, expected):
    features = _province_features(shared_geo)
    crs = None
    extra = {
        "globe": [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]],
        "elsewhere": [[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]],
    }
    if case in extra:
        features.append(
            {
                "type": "Feature",
                "properties": {"code": "TH99", "name": "nowhere"},
                "geometry": {"type": "Polygon", "coordinates": [extra[case]]},
            }
        )
    elif case == "wrong_prj":
        crs = "urn:ogc:def:crs:EPSG::32647"
    else:  # UTM 47N metres declared as 48N
        source = geopandas.read_file(shared_geo / PROVINCES).to_crs("EPSG:32647")
        features = [
            {"type": "Feature", "properties": {"code": c}, "geometry": json.loads(shapely.to_geojson(g))}
            for c, g in zip(source["ADM1_PCODE"], source.geometry)
        ]
        crs = "urn:ogc:def:crs:EPSG::32648"
    path = _write_features(tmp_path / f"{case}.geojson", features, crs)
    before = _state(store)

    with pytest.raises(BoundaryFileError, match=expected) as refused:
        import_boundaries(store, path)

    _assert_refused(store, before, path, refused.value)


# --------------------------------------------------------------------------- geometries beyond repair


def test_hos010_unusable_geometries_are_listed_and_the_rest_imported(store, shared_geo, tmp_path):
    clean = import_boundaries(store, shared_geo / PROVINCES)
    before = _boundaries(store)
    features = _province_features(shared_geo)
    by_code = {feature["properties"]["code"]: feature for feature in features}
    ring = by_code["TH50"]["geometry"]
    polygon = ring["coordinates"] if ring["type"] == "Polygon" else ring["coordinates"][0]
    polygon[0] = polygon[0][:-1]  # not closed
    by_code["TH57"]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[99, 19], [math.nan, 19.5], [100, 20], [99, 19]]],
    }
    by_code["TH10"]["geometry"] = None
    by_code["TH11"]["geometry"] = {"type": "Polygon", "coordinates": [[[100, 13], [100.5, 13], [101, 13], [100, 13]]]}
    by_code["TH12"]["geometry"] = {"type": "Point", "coordinates": [100.5, 13.9]}
    by_code["TH15"]["geometry"] = {"type": "Polygon", "coordinates": [[[100, 14], [1e308, 14], [101, 15], [100, 14]]]}
    piece = json.loads(json.dumps(by_code["TH13"]))
    piece["geometry"] = {"type": "Polygon", "coordinates": [[[100.5, 14], [math.inf, 14], [100.6, 14.1], [100.5, 14]]]}
    features.append(piece)  # Pathum Thani, a second piece
    path = _write_features(tmp_path / "broken.geojson", features)

    report = import_boundaries(store, path)

    assert (report.features_read, report.matched_features, report.matched_areas) == (78, 70, 70)
    invalid = {(issue.code, issue.reason.split(" (")[0].split(":")[0]) for issue in report.invalid}
    assert invalid == {
        ("TH50", "unreadable geometry"),
        ("TH57", "coordinates that are not numbers any map has"),
        ("TH15", "coordinates that are not numbers any map has"),
        ("TH10", "no geometry"),
        ("TH11", "no polygon is left once repaired"),
        ("TH12", "a point, not a polygon"),
        ("TH13", "not imported"),
        ("TH13", "coordinates that are not numbers any map has"),
    }
    reasons = {issue.code + ("+" if issue.index == 77 else ""): issue.reason for issue in report.invalid}
    assert "a ring is not closed" in reasons["TH50"]
    assert reasons["TH13"].startswith("not imported: feature 77, another piece of 13 ปทุมธานี")
    assert "8 invalid geometry" in report.summary()
    assert sum(row.outcome == INVALID_GEOMETRY for row in report.outcomes) == 8
    assert next(row for row in report.outcomes if row.file_code == "TH50").matched_code == "50"
    after = _boundaries(store)
    for code in ("50", "57", "15", "10", "11", "12", "13"):  # not in this import: as they were
        assert after[(code, "full")] == before[(code, "full")]
    assert after[("14", "full")][1] == report.import_id != clean.import_id


def test_hos011_a_file_of_nothing_but_broken_geometries_names_the_first(store, tmp_path):
    path = tmp_path / "unclosed.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"50"},'
        '"geometry":{"type":"Polygon","coordinates":[[[98,18],[99,18],[99,19]]]}}]}',
        encoding="utf-8",
    )
    before = _state(store)

    with pytest.raises(
        BoundaryFileError,
        match=r"^unclosed\.geojson: no feature has a geometry \(feature 0: "
        r"unreadable geometry: a ring is not closed",
    ) as refused:
        import_boundaries(store, path)

    _assert_refused(store, before, path, refused.value)


def test_hos012_a_failure_mid_write_leaves_only_the_failed_row(store, shared_geo, monkeypatch):
    import_boundaries(store, shared_geo / PROVINCES)
    before = _state(store)
    real = data.store.boundary_import.replace_boundaries

    def half_then_disk_full(connection, rows, import_id):
        rows = list(rows)
        real(connection, rows[: len(rows) // 2], import_id)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(data.store.boundary_import, "replace_boundaries", half_then_disk_full)

    result = _cli(store, str(shared_geo / PROVINCES))

    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        result.output.strip().splitlines()[-1]
        == f"Error: {PROVINCES}: nothing was imported: [Errno 28] No space left on device"
    )
    assert _state(store) == before
    assert _log(store)[-1][1:] == ("failed", PROVINCES, "[Errno 28] No space left on device")


def test_hos013_a_geos_error_while_simplifying_is_a_message(store, shared_geo, monkeypatch):
    before = _state(store)

    def topology_error(shapes):
        raise shapely.errors.GEOSException("TopologyException: side location conflict at 100 14\nmore")

    monkeypatch.setattr(data.store.boundary_import, "boundary_rows", topology_error)
    path = shared_geo / PROVINCES

    with pytest.raises(
        BoundaryFileError,
        match=r"cannot be merged or simplified \(TopologyException: side location "
        r"conflict at 100 14\); nothing was imported$",
    ) as refused:
        import_boundaries(store, path)

    _assert_refused(store, before, path, refused.value)


# --------------------------------------------------------------------------- fuzz
#
# Each generated file is a GeoJSON FeatureCollection written as raw text (so NaN and Infinity
# can appear), at province or district level, whose features carry codes and names of real
# areas, of their siblings, of nothing, or of the wrong type, and geometries that are valid,
# repairable, beyond repair, outside Thailand or missing. For every file: a clean import or a
# BoundaryFileError with a one-line message; never another exception, never a partial write.

# Per backend; POC_FUZZ_EXAMPLES=2000 POC_FUZZ_RANDOM=1 for a longer, random hunt.
FUZZ_EXAMPLES = int(os.environ.get("POC_FUZZ_EXAMPLES", "200"))
FUZZ_DERANDOMIZE = os.environ.get("POC_FUZZ_RANDOM", "") != "1"
_INDEX = AreaIndex.from_geothai()
_POOL = {
    "province": sorted(r.code for r in _INDEX.by_code.values() if r.level == "province"),
    "district": sorted(
        r.code for r in _INDEX.by_code.values() if r.level == "district" and r.province_code in ("10", "50", "96")
    ),
}

_GOOD = ("square", "triangle", "bowtie", "two_parts", "holed")
_BAD = (
    "unclosed",
    "short_ring",
    "collinear",
    "nan",
    "infinity",
    "huge",
    "swapped",
    "utm",
    "globe",
    "empty",
    "null",
    "point",
    "line",
    "strings",
    "collection",
)


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(float(value))


def _ring_text(points) -> str:
    return "[" + ",".join(f"[{_number(x)},{_number(y)}]" for x, y in points) + "]"


def _square(x: float, y: float, size: float) -> list[tuple[float, float]]:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def _geometry(kind: str, x: float, y: float, size: float) -> tuple[str, object]:
    """(GeoJSON text, the shape it stands for in lon/lat or None) of one generated geometry."""
    square = _square(x, y, size)
    if kind == "square":
        return '{"type":"Polygon","coordinates":[%s]}' % _ring_text(square), shapely.Polygon(square)
    if kind == "triangle":
        points = [(x, y), (x + size, y), (x, y + size), (x, y)]
        return '{"type":"Polygon","coordinates":[%s]}' % _ring_text(points), shapely.Polygon(points)
    if kind == "bowtie":
        points = [(x, y), (x + size, y + size), (x + size, y), (x, y + size), (x, y)]
        return (
            '{"type":"Polygon","coordinates":[%s]}' % _ring_text(points),
            shapely.make_valid(shapely.Polygon(points)),
        )
    if kind == "two_parts":
        other = _square(x + 2 * size, y, size / 2)
        return (
            '{"type":"MultiPolygon","coordinates":[[%s],[%s]]}' % (_ring_text(square), _ring_text(other)),
            shapely.MultiPolygon([shapely.Polygon(square), shapely.Polygon(other)]),
        )
    if kind == "holed":
        hole = _square(x + size / 4, y + size / 4, size / 2)
        return (
            '{"type":"Polygon","coordinates":[%s,%s]}' % (_ring_text(square), _ring_text(hole[::-1])),
            shapely.Polygon(square, [hole[::-1]]),
        )
    bad = {
        "unclosed": '{"type":"Polygon","coordinates":[%s]}' % _ring_text(square[:-1]),
        "short_ring": '{"type":"Polygon","coordinates":[%s]}' % _ring_text([(x, y), (x + size, y), (x, y)]),
        "collinear": '{"type":"Polygon","coordinates":[%s]}'
        % _ring_text([(x, y), (x + size, y), (x + 2 * size, y), (x, y)]),
        "nan": '{"type":"Polygon","coordinates":[%s]}' % _ring_text([square[0], (math.nan, y)] + square[2:]),
        "infinity": '{"type":"Polygon","coordinates":[%s]}' % _ring_text([square[0], (math.inf, y)] + square[2:]),
        "huge": '{"type":"Polygon","coordinates":[%s]}' % _ring_text([square[0], (1e308, y)] + square[2:]),
        "swapped": '{"type":"Polygon","coordinates":[%s]}' % _ring_text([(b, a) for a, b in square]),
        "utm": '{"type":"Polygon","coordinates":[%s]}'
        % _ring_text([(500000 + (a - 100) * 100000, b * 110000) for a, b in square]),
        "globe": '{"type":"Polygon","coordinates":[[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}',
        "empty": '{"type":"Polygon","coordinates":[]}',
        "null": "null",
        "point": '{"type":"Point","coordinates":[%s,%s]}' % (_number(x), _number(y)),
        "line": '{"type":"LineString","coordinates":%s}' % _ring_text(square[:3]),
        "strings": '{"type":"Polygon","coordinates":[[["a","b"],["c","d"],["e","f"],["a","b"]]]}',
        "collection": '{"type":"GeometryCollection","geometries":[]}',
    }
    return bad[kind], None


_CODE_FORMS = ("bare", "th", "int", "float", "missing", "null", "garbage", "list", "bool", "other_area")
_NAME_FORMS = ("thai", "prefixed", "english", "sibling", "missing", "null", "number", "empty", "garbage")


@st.composite
def _features(draw, level: str, utm: bool):
    area = _INDEX.by_code[draw(st.sampled_from(_POOL[level]))]
    code_form = draw(st.sampled_from(_CODE_FORMS))
    name_form = draw(st.sampled_from(_NAME_FORMS))
    siblings = [c for c in _POOL[level] if _INDEX.by_code[c].parent_code == area.parent_code and c != area.code]
    sibling = _INDEX.by_code[draw(st.sampled_from(siblings))] if siblings else area
    properties: dict = {}
    code_of = None  # the area code the feature's code field names, if any
    if code_form == "bare":
        properties["code"], code_of = area.code, area.code
    elif code_form == "th":
        properties["code"], code_of = "TH" + area.code, area.code
    elif code_form == "int":
        properties["code"], code_of = int(area.code), area.code
    elif code_form == "float":
        properties["code"], code_of = float(area.code), area.code
    elif code_form == "null":
        properties["code"] = None
    elif code_form == "garbage":
        properties["code"] = draw(st.sampled_from(["", "x", "TH", "99", "9999", "-1", "๕๐", "1e308"]))
        code_of = "50" if properties["code"] == "๕๐" else None
    elif code_form == "list":
        properties["code"] = [area.code]
    elif code_form == "bool":
        properties["code"] = True
    elif code_form == "other_area":  # a duplicated code: another area's, or a province's in a district file
        other = draw(st.sampled_from(_POOL[level] + ["10", "50"]))
        properties["code"], code_of = other, other
    if name_form == "thai":
        properties["name"] = area.name_th
    elif name_form == "prefixed":
        prefix = {"province": "จังหวัด", "district": "อำเภอ"}[level]
        properties["name"] = area.name_th if area.name_th.startswith("เขต") else prefix + area.name_th
    elif name_form == "english":
        properties["name"] = area.name_en
    elif name_form == "sibling":
        properties["name"] = sibling.name_th
    elif name_form == "null":
        properties["name"] = None
    elif name_form == "number":
        properties["name"] = draw(st.integers(-5, 10**6))
    elif name_form == "empty":
        properties["name"] = ""
    elif name_form == "garbage":
        properties["name"] = draw(st.text(max_size=12))
    kind = draw(st.sampled_from(_GOOD) if draw(st.integers(0, 3)) else st.sampled_from(_BAD))
    if utm and kind == "utm":  # metres in a file that says it is in metres: nothing wrong
        kind = "square"
    x = draw(st.integers(980, 1040)) / 10
    y = draw(st.integers(60, 200)) / 10
    size = draw(st.sampled_from([0.01, 0.05, 0.2]))
    text, shape = _geometry(kind, x, y, size)
    if utm and text != "null":
        text, shape = _to_utm_text(text), shape
    if draw(st.integers(0, 19)) == 0:
        properties = draw(st.sampled_from([None, [], "text"]))  # properties that are not an object
        code_of = None
    name_of = _named(properties["name"]) if isinstance(properties, dict) and "name" in properties else frozenset()
    return {
        "properties": properties,
        "geometry": text,
        "shape": shape,
        "code_of": code_of,
        "name_of": name_of,
        "kind": kind,
    }


def _named(value) -> frozenset[str]:
    """The areas a name read from the file could name: at any level, nationwide (a superset of
    what the matcher finds within the feature's parent). "NAN" is Nan, a name "10" is Bangkok."""
    if value is None or not str(value).strip():
        return frozenset()
    found = set()
    for level in _POOL:
        try:
            found.add(_INDEX.resolve(str(value).strip(), level).code)
        except LookupError:
            pass
    return frozenset(found)


def _to_utm_text(text: str) -> str:
    """The same geometry in UTM 47N metres (non-finite and absurd numbers kept as they are)."""
    try:
        geometry = json.loads(text)
        from pyproj import Transformer

        forward = Transformer.from_crs("EPSG:4326", "EPSG:32647", always_xy=True)

        def convert(node):
            if isinstance(node, list) and len(node) == 2 and all(isinstance(v, (int, float)) for v in node):
                x, y = node
                if all(math.isfinite(v) and abs(v) < 1000 for v in (x, y)):
                    return list(forward.transform(x, y))
                return node
            return [convert(child) for child in node] if isinstance(node, list) else node

        if isinstance(geometry, dict) and "coordinates" in geometry:
            geometry["coordinates"] = convert(geometry["coordinates"])
        return json.dumps(geometry)
    except (ValueError, TypeError):
        return text


@st.composite
def _files(draw):
    level = draw(st.sampled_from(["province", "district"]))
    utm = draw(st.integers(0, 7)) == 0  # a file in UTM metres that declares it: a correct import
    features = draw(st.lists(_features(level, utm), min_size=0, max_size=8))
    wrapper = draw(st.sampled_from(["collection"] * 12 + ["no_features", "not_json", "bare_feature"]))
    return {"level": level, "utm": utm, "features": features, "wrapper": wrapper, "give_level": draw(st.booleans())}


def _file_text(spec: dict) -> str:
    features = [
        '{"type":"Feature","properties":%s,"geometry":%s}'
        % (json.dumps(f["properties"], ensure_ascii=False), f["geometry"])
        for f in spec["features"]
    ]
    crs = ',"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32647"}}' if spec["utm"] else ""
    text = '{"type":"FeatureCollection"%s,"features":[%s]}' % (crs, ",".join(features))
    if spec["wrapper"] == "no_features":
        return '{"type":"FeatureCollection"%s}' % crs
    if spec["wrapper"] == "not_json":
        return text[: len(text) // 2]
    if spec["wrapper"] == "bare_feature" and features:
        return features[0]
    return text


_CACHED_INDEX: dict[str, AreaIndex] = {}
_FUZZ = {"examples": 0, "imported": 0, "refused": 0, "seconds": 0.0}


def _cached_area_index(connection):
    """The store's areas, read once per store: they do not change during the fuzz, and reading
    8,466 of them for every generated file would make the suite ten times slower."""
    key = connection.engine.url.render_as_string(hide_password=False)
    if key not in _CACHED_INDEX:
        _CACHED_INDEX[key] = area_index(connection)
    return _CACHED_INDEX[key]


def _check_import(engine, report, before: dict, spec: dict, level: str) -> None:
    """A clean import: every boundary it wrote is of an area some feature names by its code
    or its name, lies inside the union of those features' shapes and inside Thailand; every
    other boundary is as it was; the report accounts for every feature."""
    after = _boundaries(engine)
    features = spec["features"][:1] if spec["wrapper"] == "bare_feature" else spec["features"]
    assert len(report.outcomes) == report.features_read == len(features)
    assert sum(row.imported for row in report.outcomes) == report.matched_features > 0
    written = {code for (code, _), (_, import_id) in after.items() if import_id == report.import_id}
    # a name counts if the file's names were read as names (a column mostly empty or numeric is not)
    names_read = bool(report.name_th_column or report.name_en_column)
    trusted = report.trust_codes or not names_read
    name_is_code = report.code_column == "name"  # every name written was a code: "10"
    assert written == {row.matched_code for row in report.outcomes if row.imported}
    assert all(_INDEX.by_code[code].level == level for code in written)
    for key, row in after.items():
        if key[0] not in written:
            assert before.get(key) == row, f"boundary {key} changed though the import did not cover it"
    for code in written:
        claimants = [
            f
            for f in features
            if ((names_read or name_is_code) and code in f["name_of"])
            or (f["code_of"] == code and (trusted or not f["name_of"] or code in f["name_of"]))
        ]
        assert claimants, f"{code} written, but no feature names it by an agreeing code or by name"
        shapes = [f["shape"] for f in claimants if f["shape"] is not None]
        union = shapely.union_all(shapes)
        stored = shapely.from_geojson(after[(code, "full")][0])
        assert union.buffer(1e-5).contains(stored), f"{code}: stored shape not within its features' shapes"
    for code in written:
        min_x, min_y, max_x, max_y = shapely.from_geojson(after[(code, "full")][0]).bounds
        assert ALLOWED_EXTENT[0] <= min_x <= max_x <= ALLOWED_EXTENT[2]
        assert ALLOWED_EXTENT[1] <= min_y <= max_y <= ALLOWED_EXTENT[3]
    for row in report.outcomes:  # a feature whose code names an area but whose name is a sibling's
        feature = features[row.index]
        if feature["code_of"] and feature["name_of"] and feature["code_of"] not in feature["name_of"] and not trusted:
            assert not (row.imported and row.matched_code == feature["code_of"]), row


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=FUZZ_DERANDOMIZE,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(spec=_files(), trust=st.integers(0, 9))
@example(
    spec={
        "level": "district",
        "utm": False,
        "give_level": True,
        "wrapper": "collection",
        "features": [
            {
                "properties": {"code": "1002", "name": "พระนคร"},
                "geometry": _geometry("square", 100.5, 13.7, 0.01)[0],
                "shape": _geometry("square", 100.5, 13.7, 0.01)[1],
                "code_of": "1002",
                "name_of": frozenset({"1001"}),
                "kind": "square",
            },
            {
                "properties": {"code": "1003", "name": "เขตหนองจอก"},
                "geometry": _geometry("square", 100.8, 13.8, 0.05)[0],
                "shape": _geometry("square", 100.8, 13.8, 0.05)[1],
                "code_of": "1003",
                "name_of": frozenset({"1003"}),
                "kind": "square",
            },
        ],
    },
    trust=1,
)
@example(
    spec={"level": "province", "utm": False, "give_level": False, "wrapper": "collection", "features": []}, trust=1
)
def test_hos014_any_generated_file_is_imported_correctly_or_refused_cleanly(store, tmp_path, spec, trust):
    started = time.perf_counter()
    path = tmp_path / "fuzz.geojson"
    path.write_text(_file_text(spec), encoding="utf-8")
    before = _state(store)
    trust_codes = trust == 0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(data.store.boundary_import, "area_index", _cached_area_index)
        try:
            report = import_boundaries(
                store, path, level=spec["level"] if spec["give_level"] else None, trust_codes=trust_codes
            )
        except BoundaryFileError as exc:  # NothingMatched included
            _assert_refused(store, before, path, exc)
            _FUZZ["refused"] += 1
        else:
            assert _log(store)[-1][1:3] == ("ok", path.name)
            _check_import(store, report, before[0], spec, report.level)
            _FUZZ["imported"] += 1
    _FUZZ["examples"] += 1
    _FUZZ["seconds"] += time.perf_counter() - started


def test_hos015_the_fuzz_exercised_both_outcomes():
    """The fuzz above is not vacuous: some files were imported and some refused (this test
    runs after it; alone it has nothing to check)."""
    if _FUZZ["examples"] == 0:
        pytest.skip("the fuzz test did not run in this session")
    assert _FUZZ["imported"] >= 10 and _FUZZ["refused"] >= 10, _FUZZ
    print(
        f"fuzz: {_FUZZ['examples']} files, {_FUZZ['imported']} imported, {_FUZZ['refused']} refused, "
        f"{_FUZZ['seconds']:.1f} s"
    )


@settings(
    max_examples=2 * FUZZ_EXAMPLES,
    deadline=None,
    derandomize=FUZZ_DERANDOMIZE,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=_files())
def test_hos016_reading_and_repairing_any_generated_file_never_raises_anything_else(tmp_path_factory, spec):
    """Without a store: read, repair and match raise BoundaryFileError or nothing, and every
    geometry the repair keeps is a valid polygon inside Thailand."""
    path = tmp_path_factory.mktemp("fuzz") / "any.geojson"
    path.write_text(_file_text(spec), encoding="utf-8")
    try:
        frame = read_boundary_file(path, level=spec["level"])
    except BoundaryFileError as exc:
        assert str(exc).startswith("any.geojson: ") and "\n" not in str(exc)
        return
    geometries, _, problems = repair_with_reasons(frame.geometry.values, frame.attrs.get("unreadable"))
    for i, geometry in enumerate(geometries):
        assert (geometry is None) == (i in problems)
        if geometry is not None:
            assert geometry.is_valid and geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.area > 0
            min_x, min_y, max_x, max_y = geometry.bounds
            assert ALLOWED_EXTENT[0] <= min_x and max_x <= ALLOWED_EXTENT[2]
            assert ALLOWED_EXTENT[1] <= min_y and max_y <= ALLOWED_EXTENT[3]
