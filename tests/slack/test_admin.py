"""/admin on the bot's own web app: auth, CSRF and the dashboard in a real headless Chromium.

The browser is Debian's `chromium` driven by Selenium through Debian's `chromium-driver` (never a
downloaded browser); screenshots go to `.ci/artifacts/` (kept by CI, ignored by git).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

import bot.cli.report  # noqa: F401  (registers `report`)
from bot.cli.app import app
from bot.config import get_settings
from bot.web.admin import CSRF_FAILED, NOT_CONFIGURED
from bot.web.auth import hash_password
from tests.kpi.conftest import seed_answer
from tests.kpi.history import seed_history
from tests.slack.conftest import RunningBot

ARTIFACTS = Path(__file__).resolve().parents[2] / ".ci" / "artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
USER, PASSWORD = "ops-admin", "correct horse battery staple"
ADMIN = {
    "admin_username": USER,
    "admin_password_hash": hash_password(PASSWORD),
    "admin_session_secret": "test-secret-" + "x" * 32,
    "admin_cookie_secure": False,  # plain http on 127.0.0.1 in tests
    "admin_days": 14,
}
CHANNELS, VARIANTS = ("C0PEOPLE", "C0FINANCE", "C0IT"), ("control", "deep")


@pytest.fixture
def admin(start_bot: Callable[..., RunningBot]) -> Iterator[tuple[RunningBot, dict[str, int]]]:
    """A running bot with /admin on, 14 days of KPI history and three answers waiting for review."""
    bot = start_bot(**ADMIN)
    per_day = seed_history(bot.stores.kpis, days=14, channels=CHANNELS, variants=VARIANTS)
    for i in range(3):
        rec = seed_answer(bot.stores, f"1700000000.00{i}", channel="C0PEOPLE")
        bot.stores.feedback.vote(rec.channel, rec.ts, "U0VOTER", -1)
    yield bot, per_day


def client(bot: RunningBot, **headers: str) -> httpx.Client:
    return httpx.Client(base_url=bot.server.url, trust_env=False, follow_redirects=False, headers=headers)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def sign_in(http: httpx.Client) -> None:
    token = csrf_of(http.get("/admin/login").text)
    response = http.post("/admin/login", data={"csrf_token": token, "username": USER, "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/admin/"


# --- over HTTP -------------------------------------------------------------------------
def test_signed_out_gets_no_data(admin) -> None:
    bot, _ = admin
    with client(bot) as http:
        for path in ("/admin/", "/admin/review"):
            response = http.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/admin/login"
        assert http.get("/admin/data.json").status_code == 401
        login = http.get("/admin/login")
        assert login.status_code == 200 and "kpi-data" not in login.text and "C0PEOPLE" not in login.text
        assert "frame-ancestors 'none'" in login.headers["content-security-policy"]


def test_wrong_password_and_missing_csrf_are_refused(admin) -> None:
    bot, _ = admin
    with client(bot) as http:
        token = csrf_of(http.get("/admin/login").text)
        wrong = http.post("/admin/login", data={"csrf_token": token, "username": USER, "password": "guess"})
        assert wrong.status_code == 401 and "Wrong username or password." in wrong.text
        no_token = http.post("/admin/login", data={"username": USER, "password": PASSWORD})
        assert no_token.status_code == 403 and no_token.text == CSRF_FAILED
        assert http.get("/admin/data.json").status_code == 401  # still signed out
        sign_in(http)
        data = http.get("/admin/data.json").json()
        assert data["review_backlog"] == 3 and set(data["by_channel"]) == set(CHANNELS)
        forged = http.post(
            "/admin/review/resolve", data={"channel": "C0PEOPLE", "ts": "1700000000.000", "note": "x", "csrf_token": "forged"}
        )
        assert forged.status_code == 403
    assert len(bot.stores.feedback.review_queue()) == 3  # nothing resolved


def test_the_sso_header_is_trusted_only_when_turned_on(start_bot: Callable[..., RunningBot]) -> None:
    off = start_bot(**ADMIN)
    with client(off, **{"X-Forwarded-User": "mallory"}) as http:
        assert http.get("/admin/data.json").status_code == 401
    on = start_bot(**ADMIN, admin_sso_header="X-Forwarded-User", admin_sso_users=["alice"])
    with client(on, **{"X-Forwarded-User": "alice"}) as http:
        assert http.get("/admin/data.json").status_code == 200
    with client(on, **{"X-Forwarded-User": "mallory"}) as http:
        assert http.get("/admin/data.json").status_code == 401


def test_without_settings_the_dashboard_says_what_is_missing(start_bot: Callable[..., RunningBot]) -> None:
    bot = start_bot()
    with client(bot) as http:
        response = http.get("/admin/")
    assert response.status_code == 503 and response.text == NOT_CONFIGURED


# --- in a real browser -----------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are needed: apt-get install -y chromium chromium-driver")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--no-proxy-server", "--window-size=1366,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.implicitly_wait(10)  # elements of a page still loading after a click
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, admin):
    """The browser with no session, and the running bot."""
    browser.delete_all_cookies()
    return browser, admin


def browser_sign_in(driver, url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/admin/")
    assert driver.current_url.endswith("/admin/login")
    driver.find_element(By.ID, "username").send_keys(USER)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, lambda d: d.current_url.endswith("/admin/"))


def wait_for(driver, condition) -> None:
    """Wait until `condition(driver)` holds: a click starts a navigation and returns at once, so an
    element found on the old page can go stale before it is read: that counts as "not yet"."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(driver, 30, ignored_exceptions=[StaleElementReferenceException]).until(condition)


CHART_DATA = """
return ['questions-chart', 'helpful-chart', 'latency-chart'].map(function (id) {
  var chart = Chart.getChart(id);
  return chart && {id: id, labels: chart.data.labels, data: chart.data.datasets.map(function (d) { return d.data; }),
                   drawn: chart.chartArea && chart.chartArea.width > 0};
});
"""


def test_sign_in_and_see_the_charts_drawn_with_the_data(page) -> None:
    driver, (bot, per_day) = page
    browser_sign_in(driver, bot.server.url)
    assert driver.current_url.endswith("/admin/")
    questions, helpful, latency = driver.execute_script(CHART_DATA)
    assert questions["drawn"] and helpful["drawn"] and latency["drawn"]
    assert questions["labels"] == sorted(per_day)
    stacked = [sum(v or 0 for v in day) for day in zip(*questions["data"], strict=True)]
    assert stacked == [per_day[day] for day in questions["labels"]]  # the bars are the seeded questions
    assert all(0 < rate <= 1 for rate in helpful["data"][0])
    assert all(
        low <= rate <= high for low, rate, high in zip(helpful["data"][1], helpful["data"][0], helpful["data"][2], strict=True)
    )
    assert all(p50 <= p95 for p50, p95 in zip(*latency["data"], strict=True))
    assert driver.find_element("id", "kpi-questions").text == str(sum(per_day.values()))
    assert driver.find_element("id", "kpi-backlog").text == "3"
    assert driver.execute_script("return document.querySelectorAll('#variants-table tbody th').length") == 1  # deep vs control
    assert not [e for e in driver.get_log("browser") if e["level"] == "SEVERE"], "no script or CSP errors"
    driver.set_window_size(1366, 2000)  # the whole page in the screenshot
    driver.save_screenshot(str(ARTIFACTS / "admin-dashboard.png"))
    driver.set_window_size(1366, 900)


def test_open_the_review_queue_and_resolve_an_answer(page) -> None:
    from selenium.webdriver.common.by import By

    driver, (bot, _) = page
    browser_sign_in(driver, bot.server.url)
    driver.find_element(By.LINK_TEXT, "Review queue").click()
    rows = driver.find_elements(By.CSS_SELECTOR, "#review-queue tbody tr")
    assert len(rows) == 3 and "masked question" in rows[0].text
    driver.find_element(By.ID, "note-1").send_keys("Clarified the leave policy")
    rows[0].find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "Resolved the answer" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "#review-queue tbody tr")) == 2
    assert len(bot.stores.feedback.review_queue()) == 2
    driver.save_screenshot(str(ARTIFACTS / "admin-review-queue.png"))


def test_a_forged_form_is_rejected_in_the_browser(page) -> None:
    from selenium.webdriver.common.by import By

    driver, (bot, _) = page
    browser_sign_in(driver, bot.server.url)
    driver.get(f"{bot.server.url}/admin/review")
    driver.find_element(By.ID, "note-1").send_keys("forged")
    driver.execute_script("document.querySelector('form.resolve input[name=csrf_token]').value = 'forged-token'")
    driver.find_element(By.CSS_SELECTOR, "form.resolve button[type=submit]").click()
    wait_for(driver, lambda d: CSRF_FAILED in d.find_element(By.TAG_NAME, "body").text)
    assert len(bot.stores.feedback.review_queue()) == 3
    driver.save_screenshot(str(ARTIFACTS / "admin-csrf-rejected.png"))


def test_signed_out_sees_only_the_sign_in_form(page) -> None:
    from selenium.webdriver.common.by import By

    driver, (bot, _) = page
    driver.get(f"{bot.server.url}/admin/review")
    assert driver.current_url.endswith("/admin/login")
    assert driver.execute_script("return document.getElementById('kpi-data') === null && typeof Chart === 'undefined'")
    assert "C0PEOPLE" not in driver.page_source and "masked question" not in driver.page_source
    assert driver.find_element(By.CSS_SELECTOR, "label[for=username]").text == "Username"
    driver.save_screenshot(str(ARTIFACTS / "admin-signed-out.png"))


def test_report_html_is_the_same_dashboard_in_one_file(page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    driver, (bot, per_day) = page
    settings = bot.slack.deps.settings
    monkeypatch.setenv("REDIS_URL", settings.redis_url)
    monkeypatch.setenv("REDIS_PREFIX", settings.redis_prefix)
    get_settings.cache_clear()
    out = tmp_path / "kpis.html"
    try:
        result = CliRunner().invoke(app, ["report", "--days", "14", "--html", str(out)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<form" not in html and "csrf_token" not in html and "masked question" not in html
    driver.get(out.as_uri())  # no server: Chart.js and the data are inside the file
    questions = driver.execute_script(CHART_DATA)[0]
    assert questions["drawn"] and questions["labels"] == sorted(per_day)
    assert [sum(v or 0 for v in day) for day in zip(*questions["data"], strict=True)] == [per_day[d] for d in sorted(per_day)]
    driver.save_screenshot(str(ARTIFACTS / "report-html.png"))
