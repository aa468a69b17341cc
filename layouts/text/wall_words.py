"""The words of the wall's rankings of a few areas and of the cluster radar's scale, as (Thai,
English) pairs; part of `layouts.text.words.WORDS`."""

from __future__ import annotations

WALL_WORDS: dict[str, tuple[str, str]] = {
    # two areas: one is ahead of the other (neither is "the best three")
    "wall_ahead": ("นำ", "Ahead"),
    "wall_behind": ("ตามหลัง", "Behind"),
    # the cluster radar: its rings carry no numbers (they would sit on the shapes)
    "radar_scale": ("คะแนน 1–5 จากจุดกลางถึงขอบนอก", "Scores 1–5, from the centre to the edge"),
}
