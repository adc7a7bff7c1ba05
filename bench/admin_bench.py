"""/admin render time and the Redis memory of a 90-day KPI history (90 days x 50 channels x 3 variants).

    PYTHONPATH=$PWD python bench/admin_bench.py [--days 90] [--channels 50] [--loads 20] [--browser]

Seeds the history under a throw-away Redis prefix (deleted afterwards), serves the /admin app with
uvicorn, signs in and times `--loads` GETs of the overview: the server's time to the full HTML and,
with `--browser`, Debian's Chromium's time from navigation to the load event (the charts are drawn
by then: Chart.js runs with animation off before `load`). Prints p50 and the baseline of an empty history.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import uuid

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from bot.config import Settings
from bot.store.stores import Stores
from bot.web.admin import create_admin_app
from bot.web.auth import hash_password
from tests.kpi.history import seed_history
from tests.slack.slack_http import Uvicorn

PASSWORD = "bench-password"
VARIANTS = ("control", "deep", "llm")


def timed_loads(url: str, loads: int) -> list[float]:
    with httpx.Client(base_url=url, trust_env=False) as http:
        token = re.search(r'name="csrf_token" value="([^"]+)"', http.get("/admin/login").text).group(1)  # type: ignore[union-attr]
        http.post("/admin/login", data={"csrf_token": token, "username": "bench", "password": PASSWORD})
        times = []
        for _ in range(loads):
            t0 = time.perf_counter()
            response = http.get("/admin/")
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200 and "kpi-data" in response.text, response.status_code
    return times


def browser_loads(url: str, loads: int) -> list[float]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--no-proxy-server", "--window-size=1366,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"{url}/admin/login")
        driver.find_element("id", "username").send_keys("bench")
        driver.find_element("id", "password").send_keys(PASSWORD)
        driver.find_element("css selector", "form button[type=submit]").click()
        times = []
        for _ in range(loads):
            driver.get(f"{url}/admin/")
            nav = driver.execute_script("return performance.getEntriesByType('navigation')[0].toJSON()")
            assert driver.execute_script("return Chart.getChart('questions-chart').data.labels.length") > 0
            times.append(nav["loadEventEnd"] - nav["startTime"])
        return times
    finally:
        driver.quit()


def kpi_memory(stores: Stores) -> tuple[int, int, int]:
    """(keys, fields, bytes by MEMORY USAGE) of the KPI day hashes."""
    keys = list(stores.redis.scan_iter(match=f"{stores.prefix}:kpi:*", count=1000))
    fields = sum(stores.redis.hlen(k) for k in keys)
    memory = sum(stores.redis.memory_usage(k, samples=0) or 0 for k in keys)
    return len(keys), fields, memory


def run(settings: Settings, days: int, channels: int, loads: int, browser: bool) -> None:
    stores = Stores.from_settings(settings)
    names = [f"C{i:08d}" for i in range(channels)]
    t0 = time.perf_counter()
    if days:
        seed_history(stores.kpis, days=days, channels=names, variants=VARIANTS)
    seeded_s = time.perf_counter() - t0
    keys, fields, memory = kpi_memory(stores)
    server = Uvicorn(Starlette(routes=[Mount("/admin", create_admin_app(settings, stores))]))  # as bot/slack/web.py mounts it
    try:
        http_ms = timed_loads(server.url, loads)
        page_ms = browser_loads(server.url, loads) if browser else []
    finally:
        server.stop()
    print(f"{days} days x {channels} channels x {len(VARIANTS)} variants: seeded in {seeded_s:.1f} s")
    print(f"  Redis: {keys} day hashes, {fields} fields, {memory / 1e6:.2f} MB (MEMORY USAGE, samples=0)")
    print(f"  GET /admin/ (server, full HTML): p50 {statistics.median(http_ms):.0f} ms, max {max(http_ms):.0f} ms over {loads}")
    if page_ms:
        print(f"  Chromium navigation to load (charts drawn): p50 {statistics.median(page_ms):.0f} ms, max {max(page_ms):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--loads", type=int, default=20)
    parser.add_argument("--browser", action="store_true")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    for days in (0, args.days):  # an empty history first: the baseline
        prefix = f"bench-admin-{uuid.uuid4().hex[:8]}"
        settings = Settings(
            redis_url=args.redis_url,
            redis_prefix=prefix,
            admin_username="bench",
            admin_password_hash=hash_password(PASSWORD),
            admin_session_secret=uuid.uuid4().hex * 2,
            admin_cookie_secure=False,
            admin_days=max(days, 1),
        )
        try:
            run(settings, days, args.channels, args.loads, args.browser)
        finally:
            redis = Stores.from_settings(settings).redis
            for key in redis.scan_iter(match=f"{prefix}:*", count=1000):
                redis.delete(key)


if __name__ == "__main__":
    main()
