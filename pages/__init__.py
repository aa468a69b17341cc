"""Dash Pages: each module registers one route and reads its inputs from the URL."""
