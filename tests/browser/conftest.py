"""Browser-test infrastructure: Debian's Chromium driven by Playwright (sync API), axe-core, page weight.

Fixtures for every face (portal, office, …):
- `browser` (session): a Playwright `Browser` on /usr/bin/chromium (never `playwright install`).
- `browser_page(js=True, width=1280, height=900, locale="id-ID")`: a factory opening a page in a fresh
  context (`js=False` turns JavaScript off); contexts are closed after the test.
- `page` (JavaScript on) and `page_nojs` (JavaScript off): ready-made pages at 1280 px.
- `axe_check(page, *, context=None)`: (on a page with JavaScript ON: axe-core is a script) runs axe-core with the WCAG 2.2 A/AA tags and fails the test with a
  readable list when there is any violation; returns the (empty) list of violations.
- `page_weight(page, url)`: loads `url` and returns a `PageWeight` (compressed bytes of the document and
  everything it loaded, request count, third-party requests, fonts).

Tests using a live server need `live_server` and create their data with `transactional_db`.
Without Chromium the browser tests are skipped, unless BALAI_REQUIRE_BROWSER=1 (then they fail).
"""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

# Every log line of every browser journey is read for personal data (names, phones, NIKs, e-mails).
from tests.ops.log_scan import pytest_runtest_call  # noqa: F401 - a hook, registered by being here

CHROMIUM = os.environ.get("BALAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FONT_TYPES = ("font/", "application/font", "application/x-font", "application/vnd.ms-fontobject")
FONT_SUFFIXES = (".woff", ".woff2", ".ttf", ".otf", ".eot")

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test itself
# (factories, assertions) are still synchronous, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


def pytest_collection_modifyitems(config, items):
    """Tests in this folder are browser tests: mark them, and skip them without Chromium."""
    here = os.path.dirname(__file__)
    missing = not chromium_available()
    required = os.environ.get("BALAI_REQUIRE_BROWSER") == "1"
    for item in items:
        if "browser" in item.keywords or str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if missing and not required:
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        if os.environ.get("BALAI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"BALAI_REQUIRE_BROWSER=1 but Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def browser_page(browser) -> Iterator[Callable[..., object]]:
    contexts = []

    def open_page(*, js: bool = True, width: int = 1280, height: int = 900, locale: str = "id-ID"):
        context = browser.new_context(
            java_script_enabled=js, viewport={"width": width, "height": height}, locale=locale,
            device_scale_factor=1, service_workers="block",
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser_page):
    return browser_page(js=True)


@pytest.fixture
def page_nojs(browser_page):
    return browser_page(js=False)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v.get('help')} — {v.get('helpUrl', '')}")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    at {node.get('target')}: {node.get('failureSummary', '').splitlines()[-1:]}")
            lines.append(f"      {node.get('html', '')[:160]}")
    return "\n".join(lines)


def run_axe(page, *, context=None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, context=context, options=options)
    return results.response.get("violations", [])


@pytest.fixture
def axe_check() -> Callable[..., list[dict]]:
    def check(page, *, context=None) -> list[dict]:
        violations = run_axe(page, context=context)
        assert not violations, f"axe-core: {len(violations)} WCAG 2.2 A/AA violation(s) on {page.url}:\n" + (
            format_violations(violations)
        )
        return violations

    return check


@dataclass
class Resource:
    url: str
    resource_type: str
    content_type: str
    encoding: str
    body_bytes: int  # decoded body
    transferred: int  # compressed body (as sent, or gzip of the body when sent uncompressed) + headers


@dataclass
class PageWeight:
    url: str
    status: int
    resources: list[Resource] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.resources)

    @property
    def transferred(self) -> int:
        return sum(r.transferred for r in self.resources)

    @property
    def third_party(self) -> list[str]:
        origin = urlsplit(self.url)[:2]
        return [r.url for r in self.resources
                if not r.url.startswith("data:") and urlsplit(r.url)[:2] != origin]

    @property
    def fonts(self) -> list[str]:
        return [r.url for r in self.resources if r.resource_type == "font"
                or r.content_type.startswith(FONT_TYPES) or urlsplit(r.url).path.endswith(FONT_SUFFIXES)]

    def summary(self) -> str:
        rows = [f"{r.transferred:>7} B  {r.encoding or 'identity':8} {r.resource_type:10} {r.url}" for r in self.resources]
        return f"{self.url}: {self.transferred} B in {self.requests} request(s)\n" + "\n".join(rows)


def measure_page_weight(page, url: str) -> PageWeight:
    """Load `url` and count every request it makes, with its compressed size.

    Chromium sends `Accept-Encoding: gzip, deflate, br`, so the HTML comes gzip-compressed by
    GZipMiddleware and its encoded size is what travels. Static files are precompressed by whitenoise in
    production but the test server sends them as they are: for a response sent without compression we
    count the gzip size of its body, i.e. what production transfers.
    """
    # Count everything a first-time visitor downloads, even when this page visited the site before.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    seen: list = []

    def record(request) -> None:
        seen.append(request)

    page.on("requestfinished", record)
    page.on("requestfailed", record)
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    result = PageWeight(url=url, status=response.status if response else 0)
    for request in seen:
        if request.url.startswith("data:"):
            continue
        resp = request.response()
        headers = resp.all_headers() if resp else {}
        encoding = headers.get("content-encoding", "")
        try:
            body = resp.body() if resp else b""
        except Exception:  # noqa: BLE001 - e.g. a redirect has no body
            body = b""
        sizes = request.sizes()
        header_bytes = sizes.get("responseHeadersSize", 0) if sizes else 0
        if encoding in ("gzip", "br", "deflate"):
            body_transferred = sizes.get("responseBodySize", 0) if sizes else 0
        else:
            body_transferred = len(gzip.compress(body, 9)) if len(body) > 200 else len(body)
        result.resources.append(Resource(
            url=request.url, resource_type=request.resource_type,
            content_type=headers.get("content-type", ""), encoding=encoding, body_bytes=len(body),
            transferred=body_transferred + max(header_bytes, 0),
        ))
    page.remove_listener("requestfinished", record)
    page.remove_listener("requestfailed", record)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.detach()
    return result


@pytest.fixture
def page_weight() -> Callable[..., PageWeight]:
    return measure_page_weight
