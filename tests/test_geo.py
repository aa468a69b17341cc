"""Boundaries: read any GIS file, match it to areas, simplify, store, serve; and the tile grid.

The three real files in ../shared/geo are imported on SQLite and PostgreSQL; the figures
asserted are what those files really hold (see their README).
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import geopandas
import geothai
import pandas as pd
import pytest
import shapely
from sqlalchemy import func, select

from data.store.boundaries import boundary_counts, boundary_features, replace_boundaries
from data.store.boundary_import import NothingMatched, import_boundaries
from data.store.schema import Boundary, ImportLog
from geo.columns import detect_columns
from geo.names import names_agree
from geo.read import BoundaryFileError, read_boundary_file
from geo.tilegrid import TileGridError, load_tilegrid, tile_centres, tilegrid_features

PROVINCES = "thailand_provinces_adm1.geojson"
DISTRICTS = "thailand_districts_adm2.geojson"
SUBDISTRICTS = "thailand_subdistricts.topojson"
THAILAND = (97.0, 5.3, 105.9, 20.7)  # lon/lat box around the country


def _log(engine) -> list[tuple[str, str, int, int, int, str | None]]:
    with engine.connect() as connection:
        return connection.execute(
            select(
                ImportLog.status,
                ImportLog.source_name,
                ImportLog.rows_read,
                ImportLog.inserted,
                ImportLog.revised,
                ImportLog.message,
            ).order_by(ImportLog.id)
        ).all()


def _boundary_rows(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Boundary)).scalar_one()


def _inside_thailand(bbox) -> bool:
    min_x, min_y, max_x, max_y = bbox
    return THAILAND[0] <= min_x < max_x <= THAILAND[2] and THAILAND[1] <= min_y < max_y <= THAILAND[3]


def _clockwise(ring) -> bool:
    return shapely.LinearRing(ring).is_ccw is False


# --------------------------------------------------------------------------- the real files


def test_geo001_provinces_file_matches_all_77(store, shared_geo):
    report = import_boundaries(store, shared_geo / PROVINCES, imported_by="tester")

    assert (report.level, report.features_read, report.matched_features, report.matched_areas) == (
        "province",
        77,
        77,
        77,
    )
    assert report.matched_by == {"code": 77, "name_th": 0, "name_en": 0}
    assert report.code_column == "ADM1_PCODE" and report.name_th_column == "ADM1_TH"
    assert report.unmatched == [] and report.ambiguous == [] and report.areas_without_boundary == 0
    with store.connect() as connection:
        assert boundary_counts(connection) == {"province": 77, "district": 0, "subdistrict": 0}
        overview = boundary_features(connection, "province", "overview")
        north = boundary_features(connection, "province", "web", parent_code="R1")
    assert len(overview["features"]) == 77
    chiang_mai = next(f for f in overview["features"] if f["id"] == "50")
    assert chiang_mai["properties"] == {"code": "50", "name_th": "เชียงใหม่", "name_en": "Chiang Mai"}
    assert _inside_thailand(overview["bbox"])
    assert len(north["features"]) == 17  # the four northern clusters
    status, source, rows_read, inserted, revised, message = _log(store)[-1]
    assert (status, source, rows_read, inserted, revised) == ("ok", PROVINCES, 77, 77, 0)
    assert "77 features read, 77 matched" in message


def test_geo002_districts_file_matches_all_928_and_overview_is_small(store, shared_geo):
    report = import_boundaries(store, shared_geo / DISTRICTS)

    assert (report.level, report.features_read, report.matched_features, report.matched_areas) == (
        "district",
        928,
        928,
        928,
    )
    assert report.parent_column == "ADM1_PCODE"
    assert report.unmatched == [] and report.ambiguous == [] and report.pieces_merged == 0
    # COD-AB truncates long Thai names to the DBF field width: that is not a disagreement
    assert report.name_differs == []
    with store.connect() as connection:
        overview = boundary_features(connection, "district", "overview")
        chiang_mai = boundary_features(connection, "district", "web", parent_code="50")
    assert len(overview["features"]) == 928
    size = len(json.dumps(overview, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    assert size < 1_500_000, f"national district overview is {size / 1e6:.2f} MB"
    assert len(chiang_mai["features"]) == 25
    assert {f["id"][:2] for f in chiang_mai["features"]} == {"50"}
    assert _inside_thailand(chiang_mai["bbox"])
    for feature in chiang_mai["features"]:  # d3 (Plotly geo) winding: exterior rings clockwise
        polygons = feature["geometry"]["coordinates"]
        polygons = [polygons] if feature["geometry"]["type"] == "Polygon" else polygons
        assert all(_clockwise(polygon[0]) for polygon in polygons)


def test_geo003_subdistrict_topojson_reports_its_mismatches(store, shared_geo):
    steps = []
    report = import_boundaries(store, shared_geo / SUBDISTRICTS, progress=lambda step, done, total: steps.append(step))

    assert report.level == "subdistrict"
    assert (report.code_column, report.name_th_column, report.name_en_column, report.parent_column) == (
        "id",
        "name",
        "name_en",
        "parent_id",
    )
    assert report.features_read == 8105
    assert report.matched_features == 8079
    assert report.matched_areas == 7390
    assert report.matched_by == {"code": 8073, "name_th": 6, "name_en": 0}
    assert report.pieces_merged == 689  # islands: several polygons share one code
    assert report.repaired_geometries == 3  # the three polygons invalid as drawn
    assert report.ambiguous == [] and report.invalid == []
    unmatched = {issue.code: issue for issue in report.unmatched}
    assert set(unmatched) == {
        "530306",
        "401608",
        "401615",
        "401602",
        "500306",
        "360411",
        "104701",
        "105001",
        "500310",
        "500309",
    }
    assert unmatched["104701"].name == "บางนา"
    assert "no subdistrict has the code 104701" in unmatched["104701"].reason
    # the file numbers Bueng Kan's subdistricts as before their renumbering: a feature whose
    # code is now another subdistrict's is not imported; one whose old code is no longer in
    # use is matched by its name (its shape goes where the name is, not where the code points)
    differs = {issue.code: issue for issue in report.name_differs}
    assert len(differs) == 16
    assert "380105" in differs and differs["380105"].name == "หอคำ"
    assert "name is that of 380104 หอคำ" in differs["380105"].reason
    assert "codes in this file follow another order" in differs["380105"].reason
    assert "name is that of" not in differs["550116"].reason  # สวก, now บ่อสวก: renamed, not reordered
    assert {(i.code, i.reason.rsplit(" ", 2)[-2]) for i in report.recoded} == {
        ("380119", "380112"),
        ("380114", "380109"),
        ("380412", "380408"),
        ("380118", "380111"),
        ("380413", "380409"),
        ("380116", "380110"),
    }
    assert report.areas_of_level == 7436
    assert report.areas_without_boundary == 46
    assert {"read", "repair", "match", "simplify", "write"} <= set(steps)
    with store.connect() as connection:
        assert boundary_counts(connection)["subdistrict"] == 7390
        bangkok_noi = boundary_features(connection, "subdistrict", "web", parent_code="1020")
        stored = {f["id"] for f in boundary_features(connection, "subdistrict", "full", parent_code="3801")["features"]}
    assert len(bangkok_noi["features"]) == 5
    # 380111 คำนาดี is the feature coded 380118 (its old code); the feature coded 380111 is ไคสี,
    # now 380108, and is not imported; nor is 380105, whose feature is หอคำ
    assert "380111" in stored and "380108" not in stored and "380105" not in stored
    status, _, rows_read, inserted, _, message = _log(store)[-1]
    assert (status, rows_read, inserted) == ("ok", 8105, 7390)
    assert "10 unmatched" in message and "530306" in message and "16 name differs, not imported" in message


# --------------------------------------------------------------------------- other formats


def test_geo004_utm_geopackage_lands_in_thailand(store, shared_geo, tmp_path):
    source = geopandas.read_file(shared_geo / PROVINCES)
    path = tmp_path / "provinces_utm47.gpkg"
    source.to_crs("EPSG:32647").to_file(path, layer="provinces", driver="GPKG")

    report = import_boundaries(store, path)

    assert (report.matched_features, report.matched_areas) == (77, 77)
    with store.connect() as connection:
        full = boundary_features(connection, "province", "full")
    assert _inside_thailand(full["bbox"])
    original = source.set_index(source["ADM1_PCODE"].str[2:]).geometry
    for feature in full["features"]:
        back = shapely.geometry.shape(feature["geometry"])
        assert back.bounds == pytest.approx(original[feature["id"]].bounds, abs=1e-4)


def _zip_shapefile(
    frame: geopandas.GeoDataFrame,
    folder: Path,
    name: str,
    encoding: str = "UTF-8",
    keep: tuple[str, ...] = (".shp", ".shx", ".dbf", ".prj", ".cpg"),
) -> Path:
    frame.to_file(folder / f"{name}.shp", encoding=encoding)
    archive = folder / f"{name}.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in folder.glob(f"{name}.*"):
            if part.suffix in keep:
                bundle.write(part, part.name)
    return archive


def test_geo005_zipped_shapefile_with_thai_names_only_matches_by_name(store, shared_geo, tmp_path):
    source = geopandas.read_file(shared_geo / PROVINCES)
    names_only = geopandas.GeoDataFrame({"PROV_NAMT": source["ADM1_TH"]}, geometry=source.geometry)
    archive = _zip_shapefile(names_only, tmp_path, "changwat")

    report = import_boundaries(store, archive)

    assert report.level == "province" and report.code_column is None
    assert report.matched_by == {"code": 0, "name_th": 77, "name_en": 0}
    assert report.matched_areas == 77 and report.unmatched == []


def test_geo006_district_names_resolve_within_their_province(store, shared_geo, tmp_path):
    """An RTSD-style Shapefile in TIS-620 without a .cpg: district and province names, no codes."""
    source = geopandas.read_file(shared_geo / DISTRICTS)
    north = source[source["ADM1_PCODE"].isin(["TH50", "TH57"])]
    frame = geopandas.GeoDataFrame(
        {"AMP_NAMT": north["ADM2_TH"], "PROV_NAMT": north["ADM1_TH"]}, geometry=north.geometry
    )
    frame.loc[north["ADM2_PCODE"].str.endswith("01"), "AMP_NAMT"] = "เมือง"  # as some files name the capital
    archive = _zip_shapefile(frame, tmp_path, "amphoe", encoding="cp874", keep=(".shp", ".shx", ".dbf", ".prj"))

    report = import_boundaries(store, archive)

    assert report.level == "district" and report.parent_column == "PROV_NAMT"
    assert report.matched_areas == len(north) == 43
    assert report.unmatched == [] and report.ambiguous == []
    with store.connect() as connection:
        assert boundary_counts(connection)["district"] == 43
        assert {f["id"] for f in boundary_features(connection, "district", "web", "50")["features"]} >= {"5001", "5025"}


def test_geo007_unknown_code_is_reported_with_its_code(store, shared_geo, tmp_path):
    source = geopandas.read_file(shared_geo / PROVINCES)
    source.loc[source["ADM1_PCODE"] == "TH50", ["ADM1_PCODE", "ADM1_TH", "ADM1_EN"]] = ["TH99", "ไม่มี", "Nowhere"]
    path = tmp_path / "one_wrong.geojson"
    source.to_file(path, driver="GeoJSON")

    report = import_boundaries(store, path)

    assert (report.features_read, report.matched_features) == (77, 76)
    assert len(report.unmatched) == 1
    issue = report.unmatched[0]
    assert (issue.code, issue.name) == ("TH99", "ไม่มี")
    assert "no province has the code 99" in issue.reason
    assert report.areas_without_boundary_codes == ["50"]


def test_geo008_file_where_nothing_matches_writes_nothing(store, tmp_path):
    path = tmp_path / "elsewhere.geojson"
    geopandas.GeoDataFrame(
        {"code": ["TH99"], "name": ["Atlantis"]}, geometry=[shapely.box(100, 14, 101, 15)], crs="EPSG:4326"
    ).to_file(path)

    with pytest.raises(NothingMatched, match=r"elsewhere\.geojson: no feature matches a province"):
        import_boundaries(store, path)

    assert _boundary_rows(store) == 0
    assert [row[:2] for row in _log(store)] == [("failed", "elsewhere.geojson")]


def test_geo009_non_geo_file_fails_naming_the_file(store, tmp_path):
    path = tmp_path / "budget.csv"
    pd.DataFrame({"province": ["เชียงใหม่"], "budget": [1.5]}).to_csv(path, index=False)
    text = tmp_path / "notes.txt"
    text.write_text("not a map\n", encoding="utf-8")

    with pytest.raises(BoundaryFileError, match=r"^budget\.csv: .*no geometries"):
        import_boundaries(store, path)
    with pytest.raises(BoundaryFileError, match=r"^notes\.txt: not a file GDAL can read"):
        import_boundaries(store, text)

    assert _boundary_rows(store) == 0
    log = _log(store)
    assert [(status, source) for status, source, *_ in log] == [("failed", "budget.csv"), ("failed", "notes.txt")]
    assert log[0][-1].startswith("budget.csv: ")


def test_geo010_file_without_crs_in_metres_is_refused(tmp_path, shared_geo):
    source = geopandas.read_file(shared_geo / PROVINCES).to_crs("EPSG:32647")
    source[["ADM1_PCODE", "geometry"]].to_file(tmp_path / "utm.shp")
    (tmp_path / "utm.prj").unlink()

    with pytest.raises(BoundaryFileError) as refused:
        read_boundary_file(tmp_path / "utm.shp")

    message = str(refused.value)
    assert message.startswith("utm.shp: 77 of 77 features lie outside Thailand")
    assert "assumed because the file declares no coordinate reference system" in message
    assert "look like projected metres" in message and "UTM zone 47N (EPSG:32647)" in message
    assert "--crs EPSG:32647" in message and "\n" not in message
    # said with --crs, the same file reads in lon/lat, inside Thailand
    frame = read_boundary_file(tmp_path / "utm.shp", crs="EPSG:32647")
    assert _inside_thailand(frame.total_bounds)
    assert frame.attrs["crs_note"] == "WGS 84 / UTM zone 47N (EPSG:32647), as given with --crs"


def test_geo011_reimport_replaces_instead_of_duplicating(store, shared_geo):
    import_boundaries(store, shared_geo / PROVINCES)
    first = _boundary_rows(store)
    import_boundaries(store, shared_geo / PROVINCES)

    assert first == _boundary_rows(store) == 77 * 3
    with store.connect() as connection:
        import_ids = set(connection.execute(select(Boundary.import_id)).scalars())
    log = _log(store)
    assert [(status, inserted, revised) for status, _, _, inserted, revised, _ in log] == [("ok", 77, 0), ("ok", 0, 77)]
    assert len(import_ids) == 1, "every row now points at the second import"


def test_geo012_replace_boundaries_leaves_other_areas_alone(store):
    square = json.dumps(shapely.geometry.mapping(shapely.box(100, 13, 101, 14)))
    rows = [dict(area_code=code, detail="web", geojson=square, bbox=(100, 13, 101, 14)) for code in ("10", "11")]
    with store.connect() as connection:
        replace_boundaries(connection, rows, None)
        counts = replace_boundaries(connection, rows[:1], None)
        assert counts == {"areas": 1, "replaced": 1, "rows": 1}
        assert boundary_counts(connection)["province"] == 2
        with pytest.raises(ValueError, match="unknown boundary detail"):
            replace_boundaries(connection, [dict(rows[0], detail="huge")], None)
        connection.rollback()


# --------------------------------------------------------------------------- columns


@pytest.mark.parametrize(
    "columns, level, expected",
    [
        ({"prov_code": [50, 57], "prov_namt": ["เชียงใหม่", "เชียงราย"]}, "province", ("prov_code", "prov_namt", None)),
        (
            {
                "AMP_CODE": ["5001", "5701"],
                "AP_EN": ["Mueang Chiang Mai", "Mueang Chiang Rai"],
                "PROV_CODE": ["50", "57"],
            },
            "district",
            ("AMP_CODE", None, "AP_EN"),
        ),
        ({"OBJECTID": [10, 11], "name": ["กรุงเทพมหานคร", "สมุทรปราการ"]}, "province", (None, "name", None)),
        ({"name": ["สารภี", "สันทราย", "ฝาง"], "prov_namt": ["เชียงใหม่"] * 3}, "district", (None, "name", None)),
        (
            {"ADM3_PCODE": ["TH500101", "TH500102"], "ADM3_TH": ["ศรีภูมิ", "พระสิงห์"], "ADM2_PCODE": ["TH5001", "TH5001"]},
            "subdistrict",
            ("ADM3_PCODE", "ADM3_TH", None),
        ),
    ],
)
def test_geo013_columns_and_level_are_found(columns, level, expected):
    frame = pd.DataFrame(columns)
    from data.rules.areas import AreaIndex

    found = detect_columns(frame, None, AreaIndex.from_geothai())

    assert found.level == level
    assert (found.code, found.name_th, found.name_en) == expected


def test_geo014_truncated_or_respelt_names_agree():
    assert names_agree("เมืองนครศรีธรรมร", "เมืองนครศรีธรรมราช")
    assert names_agree("วังหงษ์", "วังหงส์")
    assert not names_agree("หอคำ", "หนองเลิง")


# --------------------------------------------------------------------------- tile grid


def test_geo015_tile_grid_has_one_tile_per_province():
    tiles = load_tilegrid()
    provinces = {p.code for p in geothai.provinces()}

    assert set(tiles) == provinces and len(provinces) == 77
    assert len({(t.col, t.row) for t in tiles.values()}) == 77
    assert len({t.short for t in tiles.values()}) == 77
    # an English abbreviation of three capitals for every province, for English views (CMI, BKK)
    assert len({t.short_en for t in tiles.values()}) == 77
    assert all(re.fullmatch(r"[A-Z]{3}", t.short_en) for t in tiles.values())
    assert (tiles["50"].short_en, tiles["10"].short_en, tiles["83"].short_en) == ("CMI", "BKK", "PKT")
    # north at the top, the peninsula below, Bangkok between
    assert tiles["57"].row < tiles["10"].row < tiles["96"].row
    assert tiles["96"].row == max(t.row for t in tiles.values())

    features = tilegrid_features()
    assert [f["id"] for f in features["features"]] == sorted(provinces)
    bangkok = next(f for f in features["features"] if f["id"] == "10")
    assert bangkok["properties"]["name_th"] == "กรุงเทพมหานคร" and bangkok["properties"]["short"] == "กทม"
    squares = [shapely.geometry.shape(f["geometry"]) for f in features["features"]]
    assert shapely.coverage_is_valid(squares) and not any(
        a.intersects(b) for i, a in enumerate(squares) for b in squares[i + 1 :]
    )
    assert all(_clockwise(f["geometry"]["coordinates"][0]) for f in features["features"])
    centres = tile_centres()
    assert all(squares[i].contains(shapely.Point(centres[f["id"]])) for i, f in enumerate(features["features"]))


def test_geo016_tile_grid_file_errors_name_the_file(tmp_path):
    path = tmp_path / "grid.yaml"
    path.write_text(
        'provinces:\n  "10": {col: 0, row: 0, short: กทม, short_en: BKK}\n'
        '  "11": {col: 0, row: 0, short: สป, short_en: SPK}\n',
        encoding="utf-8",
    )
    with pytest.raises(TileGridError, match=r"grid\.yaml: provinces 10 and 11 share the tile \(0, 0\)"):
        load_tilegrid(path)
