"""layouts.text.thai_breaks without a browser: where a Thai text may break, the markup it makes
(the text a user reads unchanged), and PyThaiNLP used offline without writing anything."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape

from dash import html

from helpers import texts, unbroken
from layouts.text.thai_breaks import breakable, breakable_html, breakable_markup, pieces, words_in
from settings import PROJECT_ROOT


def test_thb001_words_the_browser_broke_are_whole():
    assert "ธรรมาภิบาล" in pieces("การบริหารราชการตามหลักธรรมาภิบาล")
    assert "เป้าหมาย" in pieces("คนจนเป้าหมาย (TPMAP) ต่อประชากร 1,000 คน")
    assert "(เนคเทค)" in pieces("ศูนย์เทคโนโลยีอิเล็กทรอนิกส์และคอมพิวเตอร์แห่งชาติ (เนคเทค)")
    assert pieces("การบริหารราชการตามหลักธรรมาภิบาล") == ("การบริหาร", "ราชการ", "ตาม", "หลัก", "ธรรมาภิบาล")


def test_thb002_units_brackets_and_abbreviations_stay_whole():
    assert pieces("คน-ครั้ง") == ("คน-ครั้ง",)
    assert pieces("คะแนน (0-100)") == ("คะแนน", " ", "(0-100)")
    assert "กิโลกรัม/คน/วัน" in pieces("อัตรา กิโลกรัม/คน/วัน")
    assert "(รพ.สต.)" in pieces("โรงพยาบาลส่งเสริมสุขภาพตำบล (รพ.สต.)")
    assert "ก.พ.ร." in pieces("สำนักงาน ก.พ.ร.")
    assert breakable_html("index (0-100)") == 'index <span class="tw">(0-100)</span>'  # English too
    assert breakable_html("person-trips a year") == '<span class="tw">person-trips</span> a year'
    for text in ("ผลิตภัณฑ์มวลรวมจังหวัด (GPP) ณ ราคาประจำปี", "GPP per capita, 2566–2570", ""):
        assert "".join(pieces(text)) == text


def test_thb003_markup_reads_as_the_text_and_keeps_tags_scripts_and_svg():
    markup = '<td title="เป้าหมาย">ธรรมาภิบาล &amp; เป้าหมาย</td><svg><title>เป้าหมาย</title></svg><style>.a{}</style>'
    broken = breakable_markup(markup)
    assert '<span class="tw">ธรรมาภิบาล</span>' in broken and '<span class="tw">เป้าหมาย</span>' in broken
    assert '<td title="เป้าหมาย">' in broken and "<svg><title>เป้าหมาย</title></svg><style>.a{}</style>" in broken
    assert unescape(re.sub(r"<[^>]+>", "", unbroken(broken).split("<svg>")[0])) == "ธรรมาภิบาล & เป้าหมาย"
    assert breakable_markup(broken) == broken  # once is enough
    assert breakable_html("<b>") == "&lt;b&gt;" and breakable("English only") == "English only"


def test_thb004_a_pages_headings_and_names_are_broken_and_read_whole():
    body = html.Div(
        [
            html.H1(["จังหวัดเชียงใหม่", html.Small(" · รายงานผล")]),
            html.Div("การบริหารราชการตามหลักธรรมาภิบาล", className="goal-row-name"),
            html.P("ย่อหน้าที่ไม่ได้ตัดคำ"),
        ]
    )
    words_in(body)
    heading, goal, paragraph = body.children
    assert heading.children[0].className == "th-words" and goal.children.className == "th-words"
    assert [w.children for w in goal.children.children] == ["การบริหาร", "ราชการ", "ตาม", "หลัก", "ธรรมาภิบาล"]
    assert paragraph.children == "ย่อหน้าที่ไม่ได้ตัดคำ"
    assert texts(body).splitlines() == [
        "จังหวัดเชียงใหม่",
        " · รายงานผล",
        "การบริหารราชการตามหลักธรรมาภิบาล",
        "ย่อหน้าที่ไม่ได้ตัดคำ",
    ]


def test_thb005_pythainlp_neither_downloads_nor_writes(tmp_path):
    """A fresh process with an empty HOME and no network proxy cuts words and leaves HOME empty."""
    code = "from layouts.text.thai_breaks import pieces; print('|'.join(pieces('ศูนย์ปฏิบัติการจังหวัดเนคเทค')))"
    environment = {
        **os.environ,
        "HOME": str(tmp_path),
        "https_proxy": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
    }
    environment.pop("PYTHAINLP_DATA", None)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ศูนย์ปฏิบัติการ|จังหวัด|เนคเทค"
    assert list(tmp_path.iterdir()) == []


def test_thb006_the_word_set_cuts_as_pythainlps_trie_does(catalog):
    """newmm over data.rules.thai_words.WordList (a set) gives the words newmm gives over PyThaiNLP's
    own trie of the same list, for every Thai text of the catalog."""
    from pythainlp.tokenize.newmm import segment
    from pythainlp.util import Trie

    from data.rules.thai_words import _words

    trie = Trie(_words().words)
    texts = [text for kpi in catalog.kpis for text in (kpi.name.th, kpi.description.th, kpi.source_agency.th)]
    assert all(segment(text, custom_dict=_words()) == segment(text, custom_dict=trie) for text in texts)


def test_thb010_a_time_of_day_stays_whole():
    """'6 ธ.ค. 2569 02|:44 น.' was seen on the data page: a time never parts at its colon."""
    from data.rules.thai_words import pieces

    assert "02:44" in pieces("นำเข้าล่าสุด 6 ธ.ค. 2569 02:44 น.")
    assert "23:59" in pieces("23:59 น.")
    assert pieces("หมายเหตุ: ข้อมูล")[:2] == ("หมายเหตุ:", " ")  # a colon after a word is that word's
