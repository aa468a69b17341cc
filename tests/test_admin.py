"""The admin pages (web.admin, issue 18) through the Flask test client on a small demo store:
accounts signed in through the real sign-in form, each form posted with its CSRF token, and what
the store holds afterwards. Who may do what: a country POC admin everything; a province admin
only within their province; a viewer or analyst nothing; the audit log for those with `audit`."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy.exc import OperationalError

from data.query import StoreUnavailable
from data.store import accounts
from data.store.engine import get_engine
from helpers import dash_app, unbroken
from web import auth

PASSWORD = "kaeng-hang-lay 2569"
NEW_PASSWORD = "khao-soi-gai 2570!"
PEOPLE = {
    "boss": ("poc_admin", ["TH"]),
    "cm_admin": ("poc_admin", ["50"]),
    "cm_viewer": ("viewer", ["50"]),
    "lp_viewer": ("viewer", ["51"]),
    "analyst1": ("analyst", ["TH"]),
    "hq": ("central", ["TH"]),
}
FORMS = [
    ("/admin/accounts/add", {"name": "x1", "role": "viewer", "areas": "50", "source": "local", "password": PASSWORD}),
    ("/admin/accounts/disable", {"name": "lp_viewer"}),
    ("/admin/accounts/enable", {"name": "lp_viewer"}),
    ("/admin/accounts/role", {"name": "lp_viewer", "role": "analyst", "areas": "51"}),
    ("/admin/accounts/password", {"name": "lp_viewer", "password": NEW_PASSWORD}),
    ("/admin/tokens/create", {"area": "50", "label": "x", "expires": ""}),
    ("/admin/tokens/revoke", {"id": "00000000"}),
]


@pytest.fixture(scope="module")
def store(demo_store):
    engine = get_engine()
    for name, (role, areas) in PEOPLE.items():
        accounts.add_account(engine, name, role, areas, PASSWORD, by="test")
    auth.forget()
    yield engine
    auth.forget()


def hidden_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(name: str, password: str = PASSWORD):
    """A test client signed in as `name` through /login, with its CSRF token as `client.csrf`."""
    client = dash_app().server.test_client()
    client.environ_base["HTTP_X_HARNESS_ANONYMOUS"] = "1"  # no session but its own (tests/helpers.py)
    token = hidden_token(client.get("/login").get_data(as_text=True))
    answer = client.post("/login", data={"username": name, "password": password, "csrf_token": token, "next": "/"})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    client.csrf = hidden_token(client.get("/account").get_data(as_text=True))
    return client


def post(client, path: str, lang: str = "en", csrf: bool = True, **data):
    if csrf:
        data["csrf_token"] = client.csrf
    return client.post(f"{path}?lang={lang}", data=data)


def text(response) -> str:
    """The page's markup, its Thai read whole (without the word spans of data.rules.thai_words)."""
    return unbroken(response.get_data(as_text=True))


def words(html: str) -> str:
    return " ".join(unescape(part).strip() for part in re.split(r"<[^>]+>", html) if part.strip())


def account(name: str) -> dict:
    return accounts.get_account(get_engine(), name)


def rows(html: str) -> list[list[str]]:
    """The cells of every table row of the page, as words."""
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", html, re.S))
    return [
        [words(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


# =========================================================================== a country admin


def test_adm001_a_country_admin_adds_disables_enables_and_changes_an_account(store):
    boss = sign_in("boss")
    added = post(
        boss, "/admin/accounts/add", name="somchai", role="viewer", areas="50", source="local", password=PASSWORD
    )
    assert added.status_code == 303 and added.headers["Location"].startswith("/admin?")
    assert account("somchai")["role"] == "viewer" and account("somchai")["areas"] == ("50",)
    page = boss.get(added.headers["Location"])
    assert page.status_code == 200 and "Account somchai added." in words(text(page))
    thai = words(text(boss.get("/admin")))
    assert "somchai" in thai and "50 เชียงใหม่" in thai and "ผู้ชม" in thai

    assert post(boss, "/admin/accounts/disable", name="somchai").status_code == 303
    assert account("somchai")["disabled"]
    assert post(boss, "/admin/accounts/enable", name="somchai").status_code == 303
    assert not account("somchai")["disabled"]
    assert post(boss, "/admin/accounts/role", name="somchai", role="analyst", areas="50 c05").status_code == 303
    assert (account("somchai")["role"], account("somchai")["areas"]) == ("analyst", ("50", "C05"))
    assert post(boss, "/admin/accounts/password", name="somchai", password=NEW_PASSWORD).status_code == 303
    sign_in("somchai", NEW_PASSWORD)

    ldap = post(boss, "/admin/accounts/add", name="dir.user", role="viewer", areas="TH", source="ldap", password="")
    assert ldap.status_code == 303 and account("dir.user")["source"] == "ldap"
    events = [e["event"] for e in accounts.audit_events(get_engine(), actor="boss")]
    for event in ("account_add", "account_disable", "account_enable", "account_role", "account_password"):
        assert event in events


def test_adm002_a_refused_change_of_the_store_is_a_400_with_its_reason(store):
    boss = sign_in("boss")
    weak = post(boss, "/admin/accounts/add", name="weakling", role="viewer", areas="50", source="local", password="abc")
    assert weak.status_code == 400 and "at least 12 characters" in words(text(weak))
    assert account("weakling") is None
    unknown = post(boss, "/admin/accounts/add", name="nobody2", role="viewer", areas="ZZ", password=PASSWORD)
    assert unknown.status_code == 400 and "not an area of the store" in words(text(unknown))
    assert post(boss, "/admin/accounts/disable", name="no-such-name").status_code == 400
    assert post(boss, "/admin/tokens/create", area="50", expires="tomorrow").status_code == 400
    assert post(boss, "/admin/tokens/revoke", id="ffffffff").status_code == 400


def test_adm003_a_wall_token_is_shown_once_then_revoked(store):
    boss = sign_in("boss")
    made = post(boss, "/admin/tokens/create", area="50", label="ห้องผู้ว่า", expires="2099-12-31")
    assert made.status_code == 200
    token = re.search(r"<code>([0-9a-f]{8}\.[A-Za-z0-9_-]+)</code>", text(made)).group(1)
    assert f"/wall?token={token}&amp;province=50" in text(made)
    token_id, area = accounts.token_area(get_engine(), token)
    assert area == "50"
    listed = text(boss.get("/admin?lang=en"))
    assert token_id in listed and "ห้องผู้ว่า" in listed and token not in listed
    assert "31 Dec 2099 23:59" in words(listed)

    cluster = post(boss, "/admin/tokens/create", area="C05", label="")
    assert re.search(r"/wall\?token=[^&<]+&amp;cluster=5<", text(cluster))
    country = post(boss, "/admin/tokens/create", area="TH", label="")
    assert re.search(r"/wall\?token=[^&<]+</code>", text(country))

    assert post(boss, "/admin/tokens/revoke", id=token_id).status_code == 303
    assert accounts.token_area(get_engine(), token) is None
    assert "Revoked" in words(text(boss.get("/admin?lang=en")))
    assert "token_revoke" in [e["event"] for e in accounts.audit_events(get_engine(), actor="boss")]


# =========================================================================== who may not


@pytest.mark.parametrize("name", ["cm_viewer", "analyst1"])
def test_adm004_a_viewer_or_analyst_may_open_no_admin_page_nor_post_any_form(store, name):
    client = sign_in(name)
    assert client.get("/admin").status_code == 403
    assert client.get("/admin/audit").status_code == 403
    before = (account("lp_viewer"), accounts.list_tokens(get_engine()))
    for path, data in FORMS:
        assert post(client, path, **data).status_code == 403, path
    assert (account("lp_viewer"), accounts.list_tokens(get_engine())) == before
    assert account("x1") is None


def test_adm005_an_auditor_reads_the_log_but_changes_nothing(store):
    hq = sign_in("hq")
    assert hq.get("/admin/audit").status_code == 200
    home = hq.get("/admin?lang=en")
    assert home.status_code == 200 and "audit log only" in words(text(home)) and '<form method="post"' not in text(home)
    for path, data in FORMS:
        assert post(hq, path, **data).status_code == 403, path
    assert account("x1") is None


def test_adm006_a_province_admin_sees_and_changes_only_their_province(store):
    admin = sign_in("cm_admin")
    page = text(admin.get("/admin?lang=en"))
    names = {row[0] for row in rows(page)}
    assert "cm_viewer" in names and "cm_admin" in names and "lp_viewer" not in names and "boss" not in names
    own_forms = [f for f in re.findall(r"<form .*?</form>", page) if 'name="name" value="cm_admin"' in f]
    assert len(own_forms) == 1 and 'action="/admin/accounts/password' in own_forms[0]  # no role, no disable
    boss = sign_in("boss")
    made = post(boss, "/admin/tokens/create", area="51", label="lamphun-screen")
    lamphun_id = re.search(r"<code>([0-9a-f]{8})\.", text(made)).group(1)
    assert "lamphun-screen" not in text(admin.get("/admin"))

    before = account("lp_viewer")
    for path, data in [
        ("/admin/accounts/disable", {"name": "lp_viewer"}),
        ("/admin/accounts/role", {"name": "lp_viewer", "role": "viewer", "areas": "50"}),
        ("/admin/accounts/password", {"name": "lp_viewer", "password": NEW_PASSWORD}),
        ("/admin/accounts/disable", {"name": "boss"}),
        ("/admin/accounts/disable", {"name": "no-such-name"}),
    ]:
        refused = post(admin, path, **data)
        assert refused.status_code == 403 and "outside your areas" in words(text(refused)), (path, data)
    assert account("lp_viewer") == before
    tokens = len(accounts.list_tokens(get_engine()))
    assert post(admin, "/admin/tokens/create", area="51").status_code == 403
    assert post(admin, "/admin/tokens/revoke", id=lamphun_id).status_code == 403
    assert len(accounts.list_tokens(get_engine())) == tokens
    assert [t for t in accounts.list_tokens(get_engine()) if t["id"] == lamphun_id][0]["active"]

    assert (
        post(admin, "/admin/accounts/add", name="lp2", role="viewer", areas="51", password=PASSWORD).status_code == 403
    )
    assert (
        post(admin, "/admin/accounts/add", name="lp2", role="viewer", areas="50 51", password=PASSWORD).status_code
        == 403
    )
    assert account("lp2") is None
    for areas in ("50", "TH"):
        central = post(admin, "/admin/accounts/role", name="cm_viewer", role="central", areas=areas)
        assert central.status_code == 403, areas
        assert (
            post(admin, "/admin/accounts/add", name="hq2", role="central", areas=areas, password=PASSWORD).status_code
            == 403
        )
    assert account("cm_viewer")["role"] == "viewer" and account("hq2") is None
    own = post(admin, "/admin/accounts/role", name="cm_admin", role="viewer", areas="50")
    assert own.status_code == 403 and "your own role" in words(text(own))
    assert account("cm_admin")["role"] == "poc_admin"

    assert post(admin, "/admin/accounts/role", name="cm_viewer", role="analyst", areas="50").status_code == 303
    assert account("cm_viewer")["role"] == "analyst"
    assert post(admin, "/admin/tokens/create", area="50", label="cm").status_code == 200
    assert post(admin, "/admin/accounts/role", name="cm_viewer", role="viewer", areas="50").status_code == 303


def test_adm007_a_post_without_the_csrf_token_changes_nothing(store):
    boss = sign_in("boss")
    before = account("lp_viewer")
    assert post(boss, "/admin/accounts/disable", csrf=False, name="lp_viewer").status_code == 403
    assert post(boss, "/admin/accounts/disable", csrf=False, name="lp_viewer", csrf_token="forged").status_code == 403
    assert (
        post(
            boss, "/admin/accounts/add", csrf=False, name="x2", role="viewer", areas="50", password=PASSWORD
        ).status_code
        == 403
    )
    tokens = accounts.list_tokens(get_engine())
    assert post(boss, "/admin/tokens/create", csrf=False, area="50").status_code == 403
    assert account("lp_viewer") == before and account("x2") is None
    assert accounts.list_tokens(get_engine()) == tokens


def test_adm008_html_in_names_and_labels_comes_back_escaped(store):
    boss = sign_in("boss")
    bad_name = post(
        boss, "/admin/accounts/add", name="<script>alert(1)</script>", role="viewer", areas="50", password=PASSWORD
    )
    assert bad_name.status_code == 400 and "<script>" not in text(bad_name) and "&lt;script&gt;" in text(bad_name)
    made = post(boss, "/admin/tokens/create", area="50", label='<script>alert("x")</script>')
    assert made.status_code == 200 and "<script>" not in text(made)
    listed = text(boss.get("/admin"))
    assert "<script>" not in listed and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in listed
    echoed = text(boss.get("/admin?msg=added&name=%3Cscript%3Ex%3C/script%3E"))
    assert "<script>" not in echoed and "&lt;script&gt;x" in echoed
    assert "<script>" not in text(boss.get("/admin/audit"))
    area = post(boss, "/admin/accounts/add", name="x3", role="viewer", areas="<b>", password=PASSWORD)
    assert area.status_code == 400 and "<b>" not in text(area).lower() and "&lt;B&gt;" in text(area)


def test_adm009_the_audit_log_shows_sign_ins_newest_first_and_filters_by_actor(store):
    sign_in("cm_admin")
    boss = sign_in("boss")
    thai = boss.get("/admin/audit")
    assert thai.status_code == 200
    table = rows(text(thai))
    assert table and table[0][1] == "boss" and table[0][2] == "เข้าสู่ระบบ"
    assert re.fullmatch(
        r"\d{1,2} (ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.) 25\d\d \d\d:\d\d",
        table[0][0],
    )
    english = rows(text(boss.get("/admin/audit?lang=en")))
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 20\d\d \d\d:\d\d", english[0][0]) and english[0][2] == "Signed in"
    only = rows(text(boss.get("/admin/audit?actor=cm_admin")))
    assert only and {row[1] for row in only} == {"cm_admin"} and "เข้าสู่ระบบ" in {row[2] for row in only}
    events = rows(text(boss.get("/admin/audit?event=sign_in&actor=boss")))
    assert events and {(row[1], row[2]) for row in events} == {("boss", "เข้าสู่ระบบ")}
    assert rows(text(boss.get("/admin/audit?actor=nobody-at-all"))) == []


def test_adm010_a_province_auditor_reads_only_the_events_of_their_province(store):
    sign_in("lp_viewer")
    admin = sign_in("cm_admin")
    seen = {(row[1], row[2]) for row in rows(text(admin.get("/admin/audit")))}
    assert ("cm_admin", "เข้าสู่ระบบ") in seen
    assert ("lp_viewer", "เข้าสู่ระบบ") not in seen and ("boss", "เข้าสู่ระบบ") not in seen


def test_adm011_a_disabled_account_is_signed_out(store):
    viewer = sign_in("cm_viewer")
    assert viewer.get("/account").status_code == 200
    boss = sign_in("boss")
    assert post(boss, "/admin/accounts/disable", name="cm_viewer").status_code == 303
    auth.forget()  # what another server remembers for at most auth.CHECK_SECONDS
    gone = viewer.get("/account")
    assert gone.status_code == 302 and gone.headers["Location"].startswith("/login")
    assert post(boss, "/admin/accounts/enable", name="cm_viewer").status_code == 303
    assert viewer.get("/account").status_code == 302  # an older session never comes back
    sign_in("cm_viewer")


def test_adm012_a_store_that_cannot_be_reached_is_a_503_page(store, monkeypatch):
    boss = sign_in("boss")

    def fails(*_args, **_kwargs):
        raise OperationalError("select", {}, Exception("gone"))

    monkeypatch.setattr(accounts, "list_accounts", fails)
    monkeypatch.setattr(accounts, "audit_events", fails)
    monkeypatch.setattr(accounts, "set_disabled", fails)
    assert boss.get("/admin").status_code == 503
    assert boss.get("/admin/audit").status_code == 503
    assert post(boss, "/admin/accounts/disable", name="lp_viewer").status_code == 503


def test_adm013_a_store_the_query_layer_gave_up_on_is_a_503_page(store, monkeypatch):
    import web.admin

    boss = sign_in("boss")

    def gave_up(*_args, **_kwargs):
        raise StoreUnavailable("the store failed a moment ago")

    monkeypatch.setattr(web.admin, "areas", gave_up)
    assert boss.get("/admin").status_code == 503
    assert post(boss, "/admin/accounts/add", name="x4", role="viewer", areas="50", password=PASSWORD).status_code == 503
    assert account("x4") is None


@pytest.mark.parametrize("language", ["th", "en"])
def test_adm015_every_field_of_the_admin_forms_has_its_name_written_beside_it(store, language):
    """A placeholder is no label (it goes as one types, and is too faint): every input and select a
    person fills in has a <label> whose own words name it (around it, or pointing at its id); the
    Thai page has no English."""
    client = sign_in("boss")
    page = unbroken(client.get(f"/admin?lang={language}").get_data(as_text=True))
    audit = unbroken(client.get(f"/admin/audit?lang={language}").get_data(as_text=True))
    for html in (page, audit):
        assert "placeholder=" not in html
        controls = re.findall(r"<(?:input|select)\b(?![^>]*type=\"hidden\")[^>]*>", html)
        around = re.findall(
            r'<label class="poc-field small"><span class="poc-field-name">([^<]+)</span><(?:input|select)', html
        )
        pointing = []
        for ident, name in re.findall(r'<label class="poc-field-name" for="([^"]+)">([^<]+)</label>', html):
            assert len(re.findall(rf'<(?:input|select)\b[^>]*\bid="{ident}"', html)) == 1, ident
            pointing.append(name)
        assert controls and len(around) + len(pointing) == len(controls), (len(controls), len(around), len(pointing))
        assert all(name.strip() for name in around + pointing)
    if language == "th":
        visible = unescape(re.sub(r"<[^>]+>", " ", page))
        assert not re.search(r"\blocal\b", visible), "the sign-in source in English on the Thai page"
        assert "รหัสผ่านของระบบนี้" in visible


def field_boxes(html: str) -> dict[str, tuple[str, str]]:
    """Each field with a hint: its label's words and its hint's words, by the control's name."""
    found = {}
    for box in re.findall(r'<div class="poc-field small">(.*?)</div>', html, re.S):
        ident = re.search(r'aria-describedby="([^"]+)"', box).group(1)
        name = re.search(r'<(?:input|select)\b[^>]*\bname="([^"]+)"', box).group(1)
        hint = re.search(rf'id="{ident}"[^>]*>(.*?)</span>', box, re.S)
        label = re.search(r"<label[^>]*>(.*?)</label>", box, re.S)
        assert hint and label, box
        found[name] = (words(label.group(1)), words(hint.group(1)))
    return found


def test_adm016_a_long_hint_is_a_line_under_its_control_tied_to_it(store):
    """The area codes' example and the expiry's "leave it empty" are no longer the field's name
    (which wrapped one word a line): a short name above, the hint under, named by aria-describedby."""
    boss = sign_in("boss")
    thai = field_boxes(text(boss.get("/admin")))
    assert thai["areas"] == ("พื้นที่", "รหัสพื้นที่ คั่นด้วยช่องว่าง เช่น 50 หรือ C05 หรือ TH")
    assert thai["expires"] == ("หมดอายุ", "เว้นว่างไว้หากไม่ให้หมดอายุ")
    assert thai["area"][0] == "พื้นที่" and "C05" in thai["area"][1]
    assert thai["password"][0] == "รหัสผ่าน" and "12" in thai["password"][1]
    english = field_boxes(text(boss.get("/admin?lang=en")))
    assert english["areas"] == ("Areas", "Area codes separated by spaces: 50, C05 or TH")
    assert english["expires"] == ("Expires", "Leave it empty for a token that never expires")
    assert not any(re.search(r"[\u0e00-\u0e7f]", label + hint) for label, hint in english.values())


EVENT_CODE = re.compile(
    r"\b(?:sign_in|sign_out|sign_in_failed|sign_in_locked|token_[a-z_]+|account_[a-z_]+|esr|export)\b"
)
THAI = re.compile(r"[\u0e00-\u0e7f]")


def test_adm017_the_audit_log_reads_in_the_readers_language(store):
    """Event names and the detail's role, areas and sign-in source in words: the Thai page shows no
    event code, the English one no Thai; the filter offers the event kinds in words by their codes."""
    boss = sign_in("boss")
    assert (
        post(
            boss, "/admin/accounts/add", name="audit.reader", role="viewer", areas="50 C01", password=PASSWORD
        ).status_code
        == 303
    )
    assert post(boss, "/admin/accounts/role", name="audit.reader", role="analyst", areas="TH").status_code == 303
    thai_html = text(boss.get("/admin/audit?actor=boss"))
    thai = rows(thai_html)
    visible = words(thai_html)
    assert not EVENT_CODE.search(visible), EVENT_CODE.search(visible).group()
    assert not re.search(r"\b(role|areas|source)=", visible) and "poc_admin" not in visible
    added = [row for row in thai if row[2] == "เพิ่มบัญชี" and row[4].startswith("audit.reader")]
    assert added and added[0][4] == (
        "audit.reader · บทบาท: ผู้ชม · พื้นที่: 50 เชียงใหม่, C01 กลุ่มจังหวัดภาคเหนือตอนบน 1 · การยืนยันตัวตน: รหัสผ่านของระบบนี้"
    )
    changed = [row for row in thai if row[2] == "เปลี่ยนบทบาทและพื้นที่" and row[4].startswith("audit.reader")]
    assert changed and changed[0][4] == "audit.reader · บทบาท: นักวิเคราะห์ · พื้นที่: TH ประเทศไทย"
    options = dict(re.findall(r'<option value="([a-z_]*)"[^>]*>([^<]+)</option>', thai_html))
    assert options["account_add"] == "เพิ่มบัญชี" and options["sign_in"] == "เข้าสู่ระบบ" and options[""] == "ทุกเหตุการณ์"
    assert {row[2] for row in rows(text(boss.get("/admin/audit?event=account_role")))} == {"เปลี่ยนบทบาทและพื้นที่"}

    english_html = text(boss.get("/admin/audit?actor=boss&lang=en"))
    english = rows(english_html)
    own = re.sub(r'<a [^>]*lang="th">.*?</a>', "", english_html.split("<tbody>")[0])  # the toggle reads Thai
    assert not THAI.search(words(own))
    for row in english:
        if row[2].startswith(("Account", "Role", "Signed", "Password")):
            assert not THAI.search(" ".join(row)), row
    added = [row for row in english if row[2] == "Account added" and row[4].startswith("audit.reader")]
    assert "Areas: 50 Chiang Mai" in added[0][4] and "Sign-in source: Password here" in added[0][4]


def test_adm018_every_event_the_app_writes_has_its_words():
    """Each event kind written to the log (data.store.accounts, web, callbacks) has Thai and English
    words: a new kind without them fails here, not on the Thai page as a code."""
    from settings import PROJECT_ROOT
    from web.admin_words import EVENTS

    written = set()
    calls = re.compile(r"(?:write_audit|\.audit|\bnote|_change)\(")
    for folder in ("data/store", "web", "callbacks"):
        for path in (PROJECT_ROOT / folder).glob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if calls.search(line) and "def " not in line:
                    written |= set(re.findall(r'(?<![\[\w])"([a-z][a-z_]*)"', line))
    assert {"sign_in", "account_add", "account_disable", "account_enable", "token_sign_in", "esr", "export"} <= written
    assert written <= set(EVENTS), written - set(EVENTS)
    assert all(THAI.search(thai) and not THAI.search(english) for thai, english in EVENTS.values())


def test_adm019_a_time_stays_whole_a_day_then_its_time(store):
    """A time breaks only between its day and its hour (at most two lines in a narrow column), never
    inside "6 ธ.ค. 2569" nor inside "03:45" (Thai word breaks put a <wbr> there once)."""
    boss = sign_in("boss")
    html = boss.get("/admin/audit").get_data(as_text=True)
    times = re.findall(r"<time [^>]*>(.*?)</time>", html, re.S)
    assert times and all("<wbr" not in t for t in times)
    for markup in times[:5]:
        parts = re.findall(r'<span class="text-nowrap">(.*?)</span>(?=\s|$)', unbroken(markup))
        assert len(parts) == 2, markup
        assert re.fullmatch(r"\d{1,2} \S+ 25\d\d", parts[0]) and re.fullmatch(r"\d\d:\d\d", parts[1]), parts
    box = re.search(r'<div class="table-responsive scroll-table"[^>]*>', html).group()
    assert 'tabindex="0"' in box and 'role="region"' in box and 'aria-label="บันทึกการใช้งาน"' in box
