"""Sign-in, sign-out, "not allowed" and a wall screen's kiosk token, in headless Chromium against
the demo store, as a user does them: the browser carries no harness session (the header
X-Harness-Anonymous), so every page starts at the real sign-in form.

Every wait is for what a user would see, never a fixed time. With POC_SCREENSHOTS=<folder> the
screens are kept to look at (Thai rendering of the sign-in and "not allowed" pages)."""

from __future__ import annotations

import os
import re

import pytest

from browser_support import TIMEOUT_MS
from data.store import accounts
from data.store.engine import get_engine
from helpers import ensure_account
from web import auth

SHOTS = os.environ.get("POC_SCREENSHOTS")
PASSWORD = "harness-password-1"  # tests/helpers.ensure_account's


@pytest.fixture(scope="module")
def people(live_server):
    engine = get_engine()
    ensure_account(engine, "cm_analyst", "analyst", ["50"])
    ensure_account(engine, "north_osm", "cluster_officer", ["C01"])
    return live_server


def anonymous_page(browser, width: int = 1440):
    context = browser.new_context(
        viewport={"width": width, "height": 1000}, extra_http_headers={"X-Harness-Anonymous": "1"}
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def sign_in(page, base: str, name: str, target: str = "/province/50") -> None:
    page.goto(base + target)
    page.wait_for_url(re.compile(r"/login\?"))
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_aub001_a_page_asks_for_sign_in_then_opens_where_the_user_was_going(browser, people):
    page, errors = anonymous_page(browser)
    page.goto(people + "/province/50")
    page.wait_for_url(re.compile(r"/login\?"))
    assert page.locator("h1").inner_text() == "เข้าสู่ระบบ"
    shot(page, "auth_login_th")
    page.fill("input[name=username]", "cm_analyst")
    page.fill("input[name=password]", "wrong password here")
    page.click("button[type=submit]")
    page.get_by_text("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง").wait_for()
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(people + "/province/50")
    page.get_by_role("heading", name=re.compile("เชียงใหม่")).first.wait_for()
    page.locator("#sign-out").wait_for()
    assert page.locator("#admin-link").count() == 0  # an analyst has no admin pages
    assert not errors, errors
    page.context.close()


def test_aub002_an_area_outside_the_scope_is_not_allowed_and_shows_none_of_its_data(browser, people):
    page, _errors = anonymous_page(browser)
    sign_in(page, people, "cm_analyst")
    page.wait_for_url(people + "/province/50")
    page.get_by_role("heading", name=re.compile("เชียงใหม่")).first.wait_for()
    answer = page.goto(people + "/province/51")  # Lamphun: the same cluster, not this account's
    assert answer.status == 403
    assert page.locator("h1").inner_text() == "ไม่มีสิทธิ์เข้าถึง"
    assert "ลำพูน" not in page.content()
    shot(page, "auth_not_allowed_th")
    page.goto(people + "/")  # the overview: this account's province only, no other's name
    page.locator("#sign-out").wait_for()
    page.get_by_text("เชียงใหม่").first.wait_for()
    body = page.inner_text("body")
    assert "ลำพูน" not in body and "ลำปาง" not in body
    page.context.close()


def test_aub003_sign_out_ends_the_session(browser, people):
    page, _errors = anonymous_page(browser)
    sign_in(page, people, "north_osm", "/cluster/1")
    page.wait_for_url(people + "/cluster/1")
    page.locator("#sign-out").click()
    page.wait_for_url(re.compile(r"/logout"))
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto(people + "/cluster/1")
    page.wait_for_url(re.compile(r"/login\?"))  # the old session is gone
    page.context.close()


def test_aub004_a_kiosk_token_signs_in_one_wall_screen_and_its_revocation_stops_it(browser, people):
    engine = get_engine()
    token = accounts.create_token(engine, "50", "test", label="ห้องผู้ว่าฯ")
    page, errors = anonymous_page(browser, 1920)
    page.goto(f"{people}/wall?token={token}&province=50")
    page.wait_for_url(people + "/wall?province=50")  # the token leaves the address
    page.get_by_text("เชียงใหม่").first.wait_for()
    shot(page, "auth_wall_kiosk")
    status = page.evaluate("fetch('/wall/data?province=50').then(r => r.status)")
    assert status == 200
    assert page.evaluate("fetch('/wall/data?province=51').then(r => r.status)") == 403  # another province
    assert page.goto(people + "/province/50").status == 403  # a kiosk opens the wall only
    accounts.revoke_token(engine, token.split(".")[0], "test")
    auth.forget()  # the app checks tokens again every few seconds; here at once
    page.goto(people + "/wall?province=50")
    page.wait_for_url(re.compile(r"/login\?"))
    assert not errors, errors
    page.context.close()
