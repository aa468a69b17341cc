"""(being written)"""

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("admin", __name__)
