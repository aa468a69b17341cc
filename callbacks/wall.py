"""The wall screen's data: `/wall/data`, a JSON endpoint that `assets/wall.js` polls with fetch().

Not a Dash callback on purpose: a failing Dash callback can blank a component, where a failed
fetch leaves the screen as it is (wall.js keeps the last good data and shows "stale since").
Thin, like a callback: read the URL, call the query layer, call the slide layouts. Every
answer is JSON: 200 with the slides, 404 for an unknown area, 503 when the store fails; or 304
with no body when the client's If-None-Match names the payload the data version still gives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

from flask import Blueprint, Response, request

from data.query import (
    DISTRICT_LEVELS,
    Engine,
    NotAllowed,
    StoreUnavailable,
    UnknownArea,
    areas,
    boundaries,
    data_status,
    district_scores,
    get_engine,
    goal_summary,
    map_values,
    member_provinces,
    province_goal_scores,
    province_table,
    resolve_period,
    scorecard,
    screen_area,
    series,
    shown_kpi_ids,
    shows_demo,
    store_meta,
    viewable_area,
    viewer_key,
    visible_features,
)
from data.query.cache import data_version, shared_get, shared_set, store_down, versioned_key
from data.rules.catalog import get_catalog
from data.rules.periods import thai_today
from geo.tilegrid import tilegrid_features
from layouts.figures import Measure
from layouts.text.format import area_title, as_of_text, format_timestamp, newest_period_of
from layouts.text.i18n import t
from layouts.views.wall import WallConfig, read_wall_config, slide_title
from layouts.views.wall_chart_slides import map_slide, subset_features, trends_slide
from layouts.views.wall_slides import area_hotspots, exceptions_slide, goals_slide, hotspots_slide
from settings import get_settings
from web.answers import code_token, pack, packed_response

log = logging.getLogger(__name__)


def wall_blueprint() -> Blueprint:
    blueprint = Blueprint("wall", __name__)

    @blueprint.route("/wall/data")
    def wall_data():
        settings = get_settings()
        config = read_wall_config(request.args, settings, shown_kpi_ids())
        engine, today = get_engine(), thai_today()
        key = _payload_key(engine, config, today)
        if key is not None:  # the store answers: the same data version, screen and day give the same payload
            etag = _etag(key)
            if request.if_none_match.contains_weak(etag):
                return Response(status=304, headers={"ETag": f'W/"{etag}"', "Cache-Control": "no-store"})
            packed = shared_get(key)
            if packed is not None:
                return _packed_json(packed, etag)
        try:
            payload = wall_payload(engine, config, today)
        except UnknownArea:
            return _json({"ok": False, "fatal": True, "message": _not_found(config)}, 404)
        except NotAllowed:  # the gate refuses it first; the read border holds all the same
            return _json({"ok": False, "fatal": True, "message": t("not_allowed_text", config.language)}, 403)
        except StoreUnavailable:  # an outage (logged once by the query layer): the screen keeps its last good data
            return _json({"ok": False, "message": t("wall_store_error", config.language)}, 503)
        except Exception:  # a broken store: the screen keeps its last good data too
            log.exception("wall screen data failed")
            return _json({"ok": False, "message": t("wall_store_error", config.language)}, 503)
        if key is None or store_down(engine):  # built while the store was failing: not kept, no ETag
            return _json(payload, 200)
        packed = pack(_dumps(payload))
        shared_set(key, packed)
        return _packed_json(packed, _etag(key))

    return blueprint


def _dumps(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, allow_nan=False, default=str).encode("utf-8")


def _json(payload: dict, status: int) -> Response:
    return Response(_dumps(payload), status=status, mimetype="application/json", headers={"Cache-Control": "no-store"})


def _packed_json(packed: bytes, etag: str) -> Response:
    return packed_response(packed, headers={"Cache-Control": "no-store", "ETag": f'W/"{etag}"'})


def _payload_key(engine: Engine, config: WallConfig, today: dt.date) -> str | None:
    """The cache key of the screen's payload: the store's data version, everything of the
    screen's configuration the payload shows (not its timings), the day (freshness and "latest"
    are judged today; no text of the payload depends on the time of day: wall.js draws the
    clock) and the code that draws it. None when the store cannot answer."""
    if store_down(engine):
        return None
    try:
        version = data_version(engine)
    except Exception:  # the store cannot answer: the payload path says so
        return None
    screen = (
        config.scope,
        config.code,
        config.language,
        config.theme,
        tuple(config.slides),
        config.map_kpi,
        tuple(config.trend_kpis),
    )
    return versioned_key("wall", engine, version, screen, today.isoformat(), code_token(), viewer_key())


def _etag(key: str) -> str:
    """A weak ETag (the same payload gzipped or not) from the payload's cache key."""
    return key.partition(":")[2][:32]


def _not_found(config: WallConfig) -> str:
    key = "cluster_not_found_text" if config.scope == "cluster" else "not_found_text"
    return t(key, config.language).format(code=config.code)


# =========================================================================== the payload


def wall_payload(engine: Engine, config: WallConfig, today: dt.date) -> dict:
    """Everything the screen shows, as JSON-ready data: title, as-of, demo flag and each slide's
    markup and figures. `signature` changes only when what is shown changes."""
    language = config.language
    here = screen_area(engine, config.scope, config.code)
    viewable_area(engine, here["code"])  # NotAllowed outside the viewer's scope
    latest, _ = resolve_period(engine, None, today)  # the pages' "latest" (freshness judged today)
    here["when"] = when = {"period": latest, "today": today}
    goals = goal_summary(engine, here["code"], **when)
    card = scorecard(engine, here["code"], **when)
    build = {"goals": _goals, "exceptions": _exceptions, "map": _map, "trends": _trends, "hotspots": _hotspots}
    slides = []
    for name in config.slides:
        markup, figures = build[name](engine, config, here, goals, card)
        slides.append(
            {
                "name": name,
                "title": slide_title(name, config.scope, language, config.code),
                "html": markup,
                "figures": figures,
            }
        )
    imported = data_status(engine)["last_imported_at"].dropna()
    payload = {
        "ok": True,
        "area": area_title(here, language),
        "as_of": as_of_text(newest_period_of(card) or latest, language),
        "last_import": t("wall_last_import", language).format(time=format_timestamp(imported.max(), language))
        if not imported.empty
        else "",
        "demo": shows_demo(goals, card),
        "version": store_meta(engine).get("data_version", ""),
        "slides": slides,
    }
    payload["signature"] = hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return payload


def _goals(engine, config, here, goals, card):
    ranks = None
    if here["level"] == "province":
        scores = province_goal_scores(engine, **here["when"])
        ranks = scores[scores["area_code"] == here["code"]]
    return goals_slide(goals, ranks, config.language)


def _exceptions(engine, config, here, goals, card):
    return exceptions_slide(card, config.language)


def _map(engine, config, here, goals, card):
    kpi = get_catalog().by_id()[config.map_kpi]
    measure = Measure.kpi_value(kpi)
    by_district = here["level"] == "province" and kpi.finest_level in DISTRICT_LEVELS
    if by_district:
        frame = map_values(engine, kpi.id, "district", here["code"], **here["when"])
        geojson = boundaries(engine, "district", parent_code=here["code"])
    else:
        frame = map_values(engine, kpi.id, "province", **here["when"])
        members = member_provinces(engine, here) if here["level"] != "country" else None
        if members is not None:
            frame = frame[frame["area_code"].isin(members)]
        geojson = boundaries(engine, "province")
        if not geojson["features"]:
            geojson = visible_features(tilegrid_features())
        if members is not None:
            geojson = subset_features(geojson, members)
    own = card[card["kpi_id"] == kpi.id]
    own_row = (
        {**own.iloc[0].to_dict(), "name_th": here["name_th"], "name_en": here["name_en"]} if not own.empty else None
    )
    return map_slide(frame.reset_index(drop=True), geojson, measure, own_row, config.language, config.theme)


def _trends(engine, config, here, goals, card):
    kpis = get_catalog().by_id()
    trends = [(Measure.kpi_value(kpis[k]), series(engine, k, here["code"])) for k in config.trend_kpis]
    return trends_slide(trends, config.language, config.theme)


def _hotspots(engine, config, here, goals, card):
    catalog = get_catalog()
    kpi_names = {k.id: (k.name.th, k.name.en) for k in catalog.kpis}
    table = areas(engine)
    if here["level"] == "province":  # districts: every scored KPI published by district or finer
        hotspots = area_hotspots(district_scores(engine, here["code"], **here["when"]), table, kpi_names)
    else:  # provinces, ordered by their overall score
        values = province_table(engine, **here["when"])
        members = member_provinces(engine, here)
        if members is not None:
            values = values[values["area_code"].isin(members)]
        scores = province_goal_scores(engine, **here["when"])
        overall = scores[scores["goal"] == "ALL"].set_index("area_code")["score"]
        hotspots = area_hotspots(values[["area_code", "kpi_id", "score", "status"]], table, kpi_names, overall)
    rule = catalog.status_rule
    return hotspots_slide(hotspots, config.language, watch=rule.watch, on_target=rule.on_target)
