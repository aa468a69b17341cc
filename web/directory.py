"""(being written)"""

from flask import Blueprint


def blueprint() -> Blueprint:
    return Blueprint("directory", __name__)
