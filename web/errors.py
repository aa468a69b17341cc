"""Every failure gets a handled answer, never Werkzeug's traceback page."""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN_CODE = tuple(
    str(ROOT / room) + os.sep for room in ("pages", "layouts", "data", "callbacks", "reports", "geo", "web")
)


def handled_error(error: Exception):
    """A request Dash could not even read (crafted or truncated: the failure lies in Dash before
    any code of ours ran) is a 400 and one warning line; a failure in our own code is a bug: 500,
    logged with its traceback."""
    from flask import jsonify, request
    from werkzeug.exceptions import HTTPException

    if isinstance(error, HTTPException):
        return error
    frames = traceback.extract_tb(error.__traceback__)
    if not any(frame.filename.startswith(OWN_CODE) for frame in frames):
        logging.getLogger(__name__).warning(
            "refused a malformed request to %s: %s: %s", request.path[:200], type(error).__name__, str(error)[:200]
        )
        return jsonify({"error": "malformed request"}), 400
    logging.getLogger(__name__).error("request to %s failed", request.path[:200], exc_info=error)
    return jsonify({"error": "the server could not answer this request"}), 500
