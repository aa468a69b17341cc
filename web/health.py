"""`/healthz`, for load balancers: 200 "ok <data version>" while the app and its store answer,
503 otherwise (HAProxy then takes the server out of its pool and back once it answers).

It answers from the data version the app re-reads at most once a second (data.query.cache), so
frequent checks do not load the store; after a failure it answers 503 without trying the store
for `POC_STORE_RETRY` seconds, as pages do."""

from __future__ import annotations

from flask import Blueprint, Response

HEALTH_PATH = "/healthz"


def health_blueprint() -> Blueprint:
    blueprint = Blueprint("health", __name__)

    @blueprint.route(HEALTH_PATH)
    def healthz():
        from data.query.cache import data_version, note_unavailable, store_down
        from data.store.engine import get_engine

        engine = get_engine()
        headers = {"Cache-Control": "no-store"}
        try:
            if store_down(engine):
                raise RuntimeError("the store failed a moment ago")
            version = data_version(engine)
        except Exception as error:
            if not store_down(engine):
                note_unavailable(engine, error)
            return Response("store unavailable\n", status=503, mimetype="text/plain", headers=headers)
        return Response(f"ok {version}\n", mimetype="text/plain", headers=headers)

    return blueprint
