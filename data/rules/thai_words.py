"""Thai line breaking: where a line of Thai may break, said by the app rather than the browser.

Thai is written without spaces between words, and Chromium breaks it with ICU's dictionary,
which does not know many of the dashboard's words: it broke "ธรรมาภิ|บาล", "เป้า|หมาย" and units at
their hyphens ("(0-|100)", "คน-|ครั้ง"). CSS cannot help (`word-break: keep-all` does not apply to
Thai in Chromium). So the text is cut into words here, by PyThaiNLP's newmm tokenizer over its own
dictionary (the Thai abbreviations of the catalog, "สศช.", "รพ.สต.", kept whole), and each word is
set in a `<span class="tw">` that does not wrap (assets/poc.css, the ESR's CSS), with a `<wbr>`
between two words not parted by a space: a line then breaks only between words. A unit joined by
a hyphen or a slash, a bracket and what it holds, a number and its punctuation stay one piece.

`pieces` (where a text may break), `breakable_html` (plain text as markup) and `breakable_markup`
(every text of a block of markup: the KPI table, the ESR, the admin pages); the Dash form of a
text and of a page's labels is in layouts.text.thai_breaks. A rule of the language, as the
Thai periods are: the pages, the reports and the sign-in and admin pages (web) all use it.
What a user reads, copies or a screen reader says is unchanged: spans and `<wbr>` add no character.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from html import escape, unescape

WORD_CLASS = "tw"  # a word that does not wrap (assets/poc.css, reports/html.py)

_THAI = re.compile("[\u0e01-\u0e5b]")
# a Thai abbreviation (สศช., รพ.สต., ก.พ.ร.) where a word starts: one piece, which newmm would cut
_ABBREVIATION = re.compile(r"(?<![\u0e01-\u0e4e])(?:[\u0e01-\u0e2e][\u0e01-\u0e4e]{0,5}\.)+")
_JOINERS = "-/\u2010\u2011\u2013"  # hyphens, a slash, an en dash: a unit or a range stays whole
_JOINED = re.compile(r"\w[-/\u2010\u2011\u2013]\w")
_OPENING = "([{“‘\"'"
_SKIPPED = ("script", "style", "svg", "title", "textarea", "option")  # no text of these is cut
_MARKUP = re.compile(
    r'(<!--.*?-->|<span class="%s">[^<]*</span>|<(?P<skip>%s)\b.*?</(?P=skip)>|<[^>]*>)'
    % (WORD_CLASS, "|".join(_SKIPPED)),
    re.S | re.I,
)  # a tag, a comment, a word already kept whole, an element whose text is not cut


class WordList:
    """A word list as newmm reads it (`prefixes`: the words that start at a place in a text), kept
    as a set: PyThaiNLP's own trie of its 62,000 words takes some 60 MB in every server process,
    the set a sixth of that."""

    def __init__(self, words) -> None:
        self.words = frozenset(word.strip() for word in words if word.strip())
        self.longest = max(map(len, self.words))

    def __bool__(self) -> bool:
        return True

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        end = min(len(text), start + self.longest)
        return [text[start:stop] for stop in range(start + 1, end + 1) if text[start:stop] in self.words]


@lru_cache(maxsize=1)
def _words() -> WordList:
    """PyThaiNLP's bundled word list, read from the installed package: nothing is downloaded, and
    PyThaiNLP is told not to write its data folder (read-only, offline)."""
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
    from pythainlp.corpus.common import thai_words

    return WordList((set(thai_words()) - NOT_WORDS) | EXTRA_WORDS)


def _segment(text: str) -> list[str]:
    """newmm (maximal matching within Thai character clusters) over the word list; spaces kept."""
    from pythainlp.tokenize.newmm import segment

    return segment(text, custom_dict=_words())


# the dashboard's words, and two entries of the bundled list that are two words each (which cut
# "ราชการ|ตาม" as "ราช|การตาม", "สำนักงาน|บริหาร" as "สำนัก|งานบริหาร")
EXTRA_WORDS = frozenset({"แดชบอร์ด", "เนคเทค", "ธรรมาภิบาล", "เป้าหมาย", "ตัวชี้วัด", "ศูนย์ปฏิบัติการ"})
NOT_WORDS = frozenset({"การตาม", "งานบริหาร"})


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    position = 0
    for match in _ABBREVIATION.finditer(text):
        out += _segment(text[position : match.start()]) if match.start() > position else []
        out.append(match.group())
        position = match.end()
    return out + (_segment(text[position:]) if position < len(text) else [])


def _glued(before: str, token: str) -> bool:
    """Whether no line may break between the piece `before` and the next `token`."""
    first, last = token[0], before[-1]
    if last in _JOINERS or first in _JOINERS or last in _OPENING:
        return True
    if last.isdigit() and first == ":":  # a time of day, 02:44
        return True
    if not any(c.isalnum() for c in token) and first not in _OPENING:
        return True  # closing punctuation, a full stop, a comma, a per cent sign
    thai_edge = _THAI.match(first) or _THAI.match(last)
    return not thai_edge and first.isalnum() and last.isalnum()  # one run of Latin letters and digits


@lru_cache(maxsize=8192)
def pieces(text: str) -> tuple[str, ...]:
    """`text` in the pieces a line may break between: words and spaces, in order (their
    concatenation is `text`). A line never breaks inside a piece."""
    out: list[str] = []
    for token in _tokens(text):
        if out and not token.isspace() and not out[-1].isspace() and _glued(out[-1], token):
            out[-1] += token
        else:
            out.append(token)
    return tuple(out)


def _kept_whole(piece: str) -> bool:
    """A piece the browser might break inside: Thai longer than a letter, or joined by a hyphen."""
    return len(piece) > 1 and (bool(_THAI.search(piece)) or any(c in piece for c in _JOINERS))


def word_parts(text: str, by_spaces: bool = False) -> list[tuple[str, bool]]:
    """(piece, kept whole) in order, with a "" between two pieces not parted by a space (a <wbr>);
    `by_spaces`: the pieces are what spaces part (a number, its unit whole)."""
    out: list[tuple[str, bool]] = []
    for piece in re.split(r"(\s+)", text) if by_spaces else pieces(text):
        if not piece:
            continue
        if out and not piece.isspace() and not out[-1][0].isspace():
            out.append(("", False))
        out.append((piece, _kept_whole(piece)))
    return out


def needs_words(text) -> bool:
    """Whether a browser might break `text` where it should not: Thai, or a hyphen or slash between
    two letters or digits in any language ("person-trips", "(0-100)": Chromium breaks after a hyphen)."""
    return isinstance(text, str) and bool(_THAI.search(text) or _JOINED.search(text))


@lru_cache(maxsize=8192)
def breakable_html(text: str, by_spaces: bool = False) -> str:
    """`text` (plain) as escaped markup, broken only between words (`by_spaces`: only at spaces)."""
    if not needs_words(text):
        return escape(text)
    return "".join(
        (f'<span class="{WORD_CLASS}">{escape(piece)}</span>' if whole else escape(piece)) if piece else "<wbr/>"
        for piece, whole in word_parts(text, by_spaces)
    )


_NUMBER_CELL = re.compile(r'<t[dh]\b[^>]*\bclass="(?:[^"]*\s)?num[\s"]')


def breakable_markup(markup: str) -> str:
    """Every text of a block of markup broken only between words; tags, comments and the text of
    scripts, styles, SVG, titles and options as they are. The text right inside a number's cell
    (class "num": "32.47 ต่อประชากรแสนคน") breaks only at its spaces: a unit stays whole."""
    out: list[str] = []
    position, tag_before = 0, ""
    for match in _MARKUP.finditer(markup):
        out += [_text_part(markup[position : match.start()], tag_before), match.group()]
        position, tag_before = match.end(), match.group()
    out.append(_text_part(markup[position:], tag_before))
    return "".join(out)


def _text_part(escaped: str, tag_before: str) -> str:
    if not needs_words(escaped):
        return escaped
    return breakable_html(unescape(escaped), by_spaces=bool(_NUMBER_CELL.match(tag_before)))
