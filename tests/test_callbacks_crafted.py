"""Crafted and stale callback requests: a client can POST any value to /_dash-update-component.

Each request goes to the real Dash server (`dash_app().server.test_client()`) with the payload a
browser would send for the ESR downloads, the KPI page's downloads and the URL selectors, but
with values no page writes: unknown KPIs, areas, report kinds, clusters; malformed periods;
wrong types; 100,000-character strings; missing triggers. Each gets a handled answer: no file
and a message where the page has a place for one, else no update (200 with an empty response,
or 204);
at most one WARNING line in the log and never a traceback. Legitimate requests still give files.
No PDF is made: the PDF buttons are checked to refuse before anything is rendered.
"""

from __future__ import annotations

import base64
import io
import json
import logging

import openpyxl
import pytest

from helpers import dash_app, words_joined

ROAD = "road_deaths_per_100k"  # published by district
HUGE = "9" * 100_000
XLSX_CLICK = "esr-xlsx"


@pytest.fixture(scope="module")
def client(demo_store):
    """A test client of the app reading the module's demo store."""
    test_client = dash_app().server.test_client()
    assert test_client.get("/_dash-dependencies").status_code == 200  # Dash registers its callbacks
    return test_client


@pytest.fixture
def post(client, caplog):
    """POST a callback payload; the answer must be handled (200 or 204), logged in at most one
    WARNING line and never with a traceback. Returns (status, the answer as text)."""

    def send(payload: dict, warned: bool | None = None) -> tuple[int, str]:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = client.post("/_dash-update-component", json=payload)
        text = response.get_data(as_text=True)
        assert response.status_code in (200, 204), text[:2000]
        assert not [r for r in caplog.records if r.exc_info], caplog.text
        assert "Traceback" not in caplog.text and "Traceback" not in text
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) <= 1, caplog.text
        assert all("\n" not in r.getMessage() and len(r.getMessage()) < 300 for r in warnings), caplog.text
        if warned is not None:
            assert bool(warnings) == warned, caplog.text
        return response.status_code, json.dumps(response.get_json(silent=True), ensure_ascii=False)

    return send


# =========================================================================== payloads


def esr_payload(
    stored,
    trigger: str | None = XLSX_CLICK,
    pathname="/province/50",
    search="?period=2569",
    changed: list | None = None,
) -> dict:
    buttons = ("esr-pdf", "esr-xlsx", "esr-snapshot")
    return {
        "output": "..esr-file.data...esr-message.children..",
        "outputs": [{"id": "esr-file", "property": "data"}, {"id": "esr-message", "property": "children"}],
        "inputs": [{"id": b, "property": "n_clicks", "value": 1 if b == trigger else None} for b in buttons],
        "state": [
            {"id": "esr-request", "property": "data", "value": stored},
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": changed if changed is not None else ([f"{trigger}.n_clicks"] if trigger else []),
    }


def kpi_payload(state, kind: str = "xlsx", n_clicks=1) -> dict:
    return {
        "output": f"kpi-download-{kind}-file.data",
        "outputs": {"id": f"kpi-download-{kind}-file", "property": "data"},
        "inputs": [{"id": f"kpi-download-{kind}", "property": "n_clicks", "value": n_clicks}],
        "state": [{"id": "kpi-table-state", "property": "data", "value": state}],
        "changedPropIds": [f"kpi-download-{kind}.n_clicks"],
    }


def nav_output() -> str:
    """The registered output key of the selectors' callback (url.href@<hash>)."""
    matches = [key for key, spec in dash_app().callback_map.items() if "url-param" in json.dumps(spec.get("inputs"))]
    assert len(matches) == 1, matches
    return matches[0]


def nav_payload(
    name,
    value,
    default="latest",
    href="http://localhost/province/50?lang=en",
    changed: list | None = None,
    selectors: list | None = None,
) -> dict:
    output = nav_output()
    selector = {"default": default, "name": name, "type": "url-param"}
    selectors = selectors if selectors is not None else [{"id": selector, "property": "value", "value": value}]
    prop_id = json.dumps(selector, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + ".value"
    return {
        "output": output,
        "outputs": {"id": "url", "property": output.split(".", 1)[1]},
        "inputs": [selectors],
        "state": [{"id": "url", "property": "href", "value": href}],
        "changedPropIds": changed if changed is not None else [prop_id],
    }


def unchanged(status: int, answer: str) -> bool:
    """Nothing updated: 204 (PreventUpdate), or 200 whose response holds no value (no_update)."""
    return status == 204 or (status == 200 and not json.loads(answer).get("response"))


def esr_state(kind="province", code="50", period="2569", lang="th") -> dict:
    return {"kind": kind, "code": code, "period": period, "lang": lang}


def file_of(answer: str, output: str) -> dict:
    data = json.loads(answer)["response"][output]["data"]
    assert data and data["filename"] and data["content"], answer[:500]
    return data


# =========================================================================== KPI downloads


def test_crf001_legitimate_kpi_downloads_still_work(post):
    status, answer = post(kpi_payload({"kpi": ROAD, "area": "TH", "period": "2569", "lang": "en"}), warned=False)
    data = file_of(answer, "kpi-download-xlsx-file")
    assert status == 200 and data["filename"] == "Road-traffic-deaths-per-100,000-population_Thailand_FY-2026.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"]))).active
    assert next(sheet.iter_rows(values_only=True))[0] == "Rank" and sheet.max_row == 78
    status, answer = post(
        kpi_payload({"kpi": ROAD, "area": "50", "period": "2569Q4", "lang": "th"}, "csv"), warned=False
    )
    assert (
        file_of(answer, "kpi-download-csv-file")["filename"]
        == "อัตราการเสียชีวิตจากอุบัติเหตุทางถนนต่อประชากรแสนคน_เชียงใหม่_ไตรมาส-4-2569.csv"
    )


@pytest.mark.parametrize("lang", ["xx", ["en"], None, 5, HUGE])
def test_crf002_a_wrong_language_is_the_default_language(post, lang):
    _status, answer = post(kpi_payload({"kpi": ROAD, "area": "TH", "period": "2569", "lang": lang}, "csv"))
    data = file_of(answer, "kpi-download-csv-file")
    content = base64.b64decode(data["content"]) if data.get("base64") else data["content"].encode()
    assert content.decode("utf-8-sig").startswith("อันดับ")


@pytest.mark.parametrize(
    "state",
    [
        {"kpi": "no_such_kpi", "area": "TH", "period": "2569", "lang": "th"},  # unknown KPI
        {"kpi": ["road_deaths_per_100k"], "area": "TH"},  # a list where a string is expected
        {"kpi": 5, "area": "TH"},  # a number
        {"kpi": None, "area": "TH"},
        {"area": "TH", "period": "2569"},  # the KPI missing
        {"kpi": HUGE},
        {"kpi": ROAD, "area": "99"},  # no such area
        {"kpi": ROAD, "area": "C01"},  # an area the page does not offer
        {"kpi": ROAD, "area": 50},
        {"kpi": ROAD, "area": {"code": "50"}},
        {"kpi": ROAD, "area": HUGE},
        {"kpi": ROAD, "period": "2568Q9"},
        {"kpi": ROAD, "period": "abc"},
        {"kpi": ROAD, "period": "0000"},
        {"kpi": ROAD, "period": 2569},
        {"kpi": ROAD, "period": HUGE},
        "road_deaths_per_100k",  # not a dict
        [ROAD, "TH"],
        12,
    ],
    ids=lambda s: repr(s)[:40],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_crf003_a_crafted_kpi_state_gives_no_file_and_one_warning(post, state, kind):
    assert unchanged(*post(kpi_payload(state, kind), warned=True))


@pytest.mark.parametrize("state, n_clicks", [(None, 1), ({}, 1), ({"kpi": ROAD}, 0), ({"kpi": ROAD}, None)])
def test_crf004_no_state_or_no_click_is_no_update_without_a_warning(post, state, n_clicks):
    assert unchanged(*post(kpi_payload(state, "xlsx", n_clicks), warned=False))


# =========================================================================== ESR downloads


def test_crf010_a_real_provinces_xlsx_still_downloads(post):
    status, answer = post(esr_payload(esr_state()), warned=False)
    data = file_of(answer, "esr-file")
    assert status == 200 and data["filename"] == "รายงานสรุปผู้บริหาร_เชียงใหม่_ปีงบประมาณ-2569.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    assert book.sheetnames[0] == "สรุป"
    assert json.loads(answer)["response"]["esr-message"]["children"] is None


@pytest.mark.parametrize("lang", ["xx", None, ["en"], HUGE])
def test_crf011_a_wrong_language_gives_the_report_in_the_default_language(post, lang):
    _status, answer = post(esr_payload(esr_state(code="10", period="2569Q4", lang=lang)), warned=False)
    data = file_of(answer, "esr-file")
    assert data["filename"] == "รายงานสรุปผู้บริหาร_กรุงเทพมหานคร_ไตรมาส-4-2569.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    assert "ตัวชี้วัดทั้งหมด" in book.sheetnames  # the Thai report's sheet of every KPI


REFUSED = "ไม่ได้จัดทำไฟล์"


@pytest.mark.parametrize(
    "stored, words",
    [
        (esr_state(kind="bogus"), ["ไม่เข้าใจค่า “bogus” ของประเภทรายงาน"]),
        (esr_state(kind=None), ["ของประเภทรายงาน"]),
        (esr_state(kind=["province"]), ["ของประเภทรายงาน"]),
        ({"code": "50", "period": "2569"}, ["ของประเภทรายงาน"]),  # kind missing
        (esr_state(code="99"), ["ไม่พบจังหวัด “99”"]),
        (esr_state(code="5001"), ["ไม่พบจังหวัด “5001”"]),  # a district, not a province
        (esr_state(code=50), ["ไม่เข้าใจค่า “50” ของจังหวัด"]),
        (esr_state(code=None), ["ของจังหวัด"]),
        (esr_state(code=HUGE), ["ของจังหวัด", "…"]),
        (esr_state(kind="cluster", code="99"), ["ไม่พบกลุ่มจังหวัด “99”"]),
        (esr_state(kind="cluster", code="abc"), ["ไม่เข้าใจค่า “abc” ของกลุ่มจังหวัด"]),
        (esr_state(kind="cluster", code="٣"), ["ของกลุ่มจังหวัด"]),  # a digit, but not 0-9
        (esr_state(kind="cluster", code="-1"), ["ของกลุ่มจังหวัด"]),
        (esr_state(kind="cluster", code=HUGE), ["ของกลุ่มจังหวัด"]),
        (esr_state(period="2568Q9"), ["ไม่เข้าใจค่า “2568Q9” ของช่วงเวลา"]),
        (esr_state(period="abc"), ["ไม่เข้าใจค่า “abc” ของช่วงเวลา"]),
        (esr_state(period="9999"), ["ของช่วงเวลา"]),
        (esr_state(period=2569), ["ของช่วงเวลา"]),
        (esr_state(period=HUGE), ["ของช่วงเวลา"]),
        (esr_state(kind="national", code=None, period="2568Q9"), ["ของช่วงเวลา"]),
        ("province", ["ของคำขอ"]),  # not a dict
        ([1, 2], ["ของคำขอ"]),
    ],
    ids=lambda s: repr(s)[:50],
)
def test_crf012_a_crafted_esr_request_gives_a_message_and_no_file(post, stored, words):
    status, answer = post(esr_payload(stored), warned=True)
    response = json.loads(answer)["response"]
    assert status == 200 and "esr-file" not in response
    assert REFUSED in answer and "โปรดโหลดหน้านี้ใหม่" in answer
    for word in words:
        assert word in answer
    assert len(answer) < 2000  # a huge value is not echoed back


def test_crf013_the_message_follows_the_language_of_the_request(post):
    _status, answer = post(esr_payload(esr_state(kind="cluster", code="99", lang="en")), warned=True)
    assert "No file was made: there is no cluster “99”. Reload the page and try again." in answer


@pytest.fixture
def no_rendering(monkeypatch):
    """The PDF makers replaced by ones that count their calls (no browser is started)."""
    import callbacks.esr as esr

    calls = []
    monkeypatch.setattr(esr, "esr_pdf", lambda *args, **kwargs: calls.append("esr") or b"%PDF-1.7 fake")
    monkeypatch.setattr(esr, "snapshot_pdf", lambda *args, **kwargs: calls.append("snapshot") or b"%PDF-1.7 fake")
    return calls


@pytest.mark.parametrize("trigger", ["esr-pdf", "esr-snapshot"])
@pytest.mark.parametrize(
    "stored",
    [
        esr_state(kind="bogus"),
        esr_state(code="99"),
        esr_state(period="2568Q9"),
        esr_state(kind="cluster", code="abc"),
        "x",
    ],
    ids=lambda s: repr(s)[:40],
)
def test_crf014_pdf_buttons_refuse_before_anything_is_rendered(post, no_rendering, trigger, stored):
    status, answer = post(esr_payload(stored, trigger), warned=True)
    assert status == 200 and REFUSED in answer and no_rendering == []


@pytest.mark.parametrize(
    "pathname, search",
    [
        (["/province/50"], ""),
        (5, ""),
        ("province/50", ""),
        ("/province/50", "period=2569"),
        ("/province/50", "?period=2568Q9"),
        ("/" + HUGE, ""),
        ("/province/50", "?period=" + HUGE),
    ],
)
def test_crf015_the_snapshot_refuses_a_page_it_could_not_be_on(post, no_rendering, pathname, search):
    status, answer = post(esr_payload(esr_state(), "esr-snapshot", pathname, search), warned=True)
    assert status == 200 and "ไม่เข้าใจค่า" in answer and ("ของหน้า" in answer or "ของช่วงเวลา" in answer)
    assert no_rendering == []


def test_crf016_valid_pdf_requests_pass_validation(post, no_rendering):
    _status, answer = post(esr_payload(esr_state(kind="cluster", code="01"), "esr-pdf"), warned=False)
    assert file_of(answer, "esr-file")["filename"] == "รายงานสรุปผู้บริหาร_กลุ่มจังหวัดภาคเหนือตอนบน-1_ปีงบประมาณ-2569.pdf"
    _status, answer = post(
        esr_payload(esr_state(kind="national", code=None, period=None), "esr-snapshot", "/", "?lang=en&period=2569Q4"),
        warned=False,
    )
    assert file_of(answer, "esr-file")["filename"] == "ภาพหน้าจอ_ภาพรวมประเทศ_ไตรมาส-4-2569.pdf"
    assert no_rendering == ["esr", "snapshot"]


@pytest.mark.parametrize(
    "stored, trigger, changed",
    [
        (esr_state(), None, []),  # nothing triggered
        (esr_state(), XLSX_CLICK, ["esr-elsewhere.n_clicks"]),  # a trigger that is not one of the buttons
        (esr_state(), XLSX_CLICK, ["esr-xlsx.children"]),
        (esr_state(), XLSX_CLICK, ['{"bad json.n_clicks']),
        (esr_state(), XLSX_CLICK, ['{"type":"x"}.n_clicks']),
        (None, XLSX_CLICK, None),  # no request stored
        ({}, XLSX_CLICK, None),
    ],
)
def test_crf017_no_trigger_or_no_request_is_no_update(post, no_rendering, stored, trigger, changed):
    assert unchanged(*post(esr_payload(stored, trigger, changed=changed), warned=False))
    assert no_rendering == []


# =========================================================================== URL selectors


def test_crf020_a_selector_still_writes_its_parameter(post):
    status, answer = post(nav_payload("period", "2569Q4"), warned=False)
    assert status == 200 and json.loads(answer)["response"]["url"]["href"] == "/province/50?lang=en&period=2569Q4"
    _status, answer = post(nav_payload("period", "latest", href="http://localhost/province/50?lang=en&period=2569"))
    assert json.loads(answer)["response"]["url"]["href"] == "/province/50?lang=en"
    _status, answer = post(nav_payload("show", 3, default="ALL", href=None))  # a number; no href: the home page
    assert json.loads(answer)["response"]["url"]["href"] == "/?show=3"


@pytest.mark.parametrize(
    "name, value, default, href",
    [
        ("evil", "1", "", "http://localhost/"),  # not a parameter of any page
        ("__proto__", "x", "", "http://localhost/"),
        ("period", HUGE, "latest", "http://localhost/"),
        ("period", ["2569"], "latest", "http://localhost/"),
        ("period", {"a": 1}, "latest", "http://localhost/"),
        ("period", True, "latest", "http://localhost/"),
        ("period", 10**300, "latest", "http://localhost/"),
        ("period", "2569", HUGE, "http://localhost/"),
        ("period", "2569", None, "http://localhost/"),
        ("period", "2569", "latest", ["http://localhost/"]),
        ("period", "2569", "latest", "http://localhost/?" + HUGE),
        ("period", "2569", "latest", "http://[::1/"),  # not a URL
        (5, "2569", "latest", "http://localhost/"),
        (None, "2569", "latest", "http://localhost/"),
    ],
    ids=lambda v: repr(v)[:30],
)
def test_crf021_a_crafted_selector_changes_nothing(post, name, value, default, href):
    assert unchanged(*post(nav_payload(name, value, default, href), warned=True))


@pytest.mark.parametrize(
    "changed, selectors",
    [
        ([], None),  # nothing triggered: a page rendered its selectors
        (['{"default":"latest","name":"sort","type":"url-param"}.value'], None),  # not one of the request's selectors
        (['{"default":"latest".value'], None),  # not JSON
        (["{}.value"], None),
        (["url.href"], None),
        (None, []),  # the trigger, but no selector in the request
    ],
)
def test_crf022_a_missing_or_foreign_trigger_changes_nothing(post, changed, selectors):
    assert unchanged(*post(nav_payload("period", "2569", changed=changed, selectors=selectors)))


# =========================================================================== requests Dash cannot read, and the routing


def routing(pathname, search) -> dict:
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }


@pytest.mark.parametrize(
    "body",
    [
        [1, 2, 3],
        {"outputs": [], "inputs": []},
        {
            "output": "nothing.here",
            "outputs": {"id": "nothing", "property": "here"},
            "inputs": [],
            "changedPropIds": [],
        },
        {"output": ".._pages_content.children..._pages_store.data..", "inputs": "not a list", "changedPropIds": [[1]]},
        routing(["/province/50"], ""),
        routing(50, {"period": "2569"}),
        routing(None, None),
    ],
)
def test_crf030_a_request_dash_cannot_read_is_a_400_with_one_warning_line(client, caplog, body):
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400 and response.get_json() == {"error": "malformed request"}
    assert not [r for r in caplog.records if r.exc_info] and "Traceback" not in caplog.text
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("refused a malformed request to /_dash-update-component")


@pytest.mark.parametrize(
    "pathname, search",
    [
        ("/province/" + HUGE, ""),
        ("/cluster/" + HUGE, ""),
        ("/district/" + HUGE, ""),
        ("/kpi/" + HUGE, ""),
        ("/province/50", "?period=2569&period=" + HUGE),
        ("/province/50", "?lang=en&lang=" + HUGE + "&sort=" + HUGE),
    ],
)
def test_crf031_a_huge_path_or_parameter_is_not_echoed_back(post, pathname, search):
    status, answer = post(routing(pathname, search))
    assert status == 200 and len(answer) < 400_000 and "9" * 200 not in answer
    read = json.dumps(words_joined(json.loads(answer)), ensure_ascii=False)  # headings cut into words, read whole
    assert "ไม่พบ" in read or "ไม่เข้าใจค่า" in read or "จังหวัดเชียงใหม่" in read
