"""Playwright driving Debian's Chromium against a live server (PITFALLS: no browser download here)."""

import os

import pytest

# The live server runs in a thread and Playwright's sync API keeps an event loop in this one; Django's guard against
# ORM calls from async contexts would otherwise refuse the fixtures' database work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) on the live server: ``new_page()``."""
    contexts = []

    def make(width=1280, height=900):
        context = browser.new_context(
            base_url=live_server.url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.on("pageerror", lambda error: violations.append(f"script error: {error}"))
        return page

    violations = []
    yield make
    for context in contexts:
        context.close()
    # Every page a journey visits runs under the strict CSP without a blocked script or style, and without errors.
    assert not violations, violations


@pytest.fixture
def login(settings):
    """Sign a page in through the login form, as a person would: ``login(page, "hq")``."""

    def sign_in(page, username, password=None):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password or settings.DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return sign_in
