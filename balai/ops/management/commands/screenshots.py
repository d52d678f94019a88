"""`manage.py screenshots`: screenshots of the key public pages at 360 px and 1280 px, in both languages.

Against a running server (`--url http://127.0.0.1:8000`) or, by default, a temporary server started on
127.0.0.1 with the current database (run `manage.py load_demo` first for meaningful pages). Uses Debian's
Chromium through Playwright (never `playwright install`). PNGs at device scale 1, reduced to a 256-colour
palette so they stay small in git.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WIDTHS = (360, 1280)
LANGUAGES = (("id", ""), ("en", "/en"))
MAX_HEIGHT = 3000  # px: a screenshot of a very long page is cut here


def key_pages() -> list[tuple[str, str]]:
    """(name, Indonesian path) of the pages to show; the service and agency are the most used ones."""
    from balai.catalog.selectors import portal_services

    pages = [("home", "/"), ("catalog", "/layanan/")]
    service = portal_services().select_related("agency").order_by("-popularity", "name_id").first()
    if service is not None:
        first_word = service.name_id.split()[0] if service.name_id else ""
        pages += [("search", f"/layanan/?q={first_word}"), ("service", f"/layanan/{service.code}/"),
                  ("agency", f"/instansi/{service.agency.slug}/")]
    pages += [("display", "/tampilan/"), ("not-found", "/halaman-tidak-ada/")]
    from balai.cases.selectors import publicly_listable_cases

    answered = publicly_listable_cases().filter(is_open=True, status="answered").first()
    if answered is not None:  # the promise after the answer: the date the case closes by itself
        pages.append(("track-answered", f"/lacak/{answered.tracking_code}/"))
    return pages + participation_pages() + ppid_pages() + elsewhere_pages()


def participation_pages() -> list[tuple[str, str]]:
    """The participation pages of the first published process of each kind (demo data)."""
    from balai.participation.selectors import forums_of, published_processes

    pages = [("participation", "/partisipasi/"), ("participation-inclusion", "/partisipasi/inklusi/")]
    seen: set[str] = set()
    for process in published_processes():
        if process.kind in seen:
            continue
        seen.add(process.kind)
        base = f"/partisipasi/{process.slug}/"
        pages.append((f"participation-{process.kind}", base))
        if process.kind == "proposals":
            pages.append(("participation-proposal-list", base + "usulan/"))
        elif process.kind == "budget":
            pages.append(("participation-results", base + "hasil/"))
        elif process.kind == "consultation":
            pages += [("participation-draft", base + "rancangan/"), ("participation-report", base + "rancangan/laporan/")]
        elif process.kind == "musrenbang":
            pages.append(("participation-forums", base + "musrenbang/"))
            forum = next((f for f in forums_of(process) if f.level == "province"), None)
            if forum is not None:
                pages.append(("participation-forum", f"{base}musrenbang/{forum.pk}/"))
    return pages


def ppid_pages() -> list[tuple[str, str]]:
    """The PPID's public pages: the register, an exempt item, the archive, an answered request, the report."""
    from balai.ppid import selectors

    pages = [("ppid-register", "/informasi/daftar/"), ("ppid-archive", "/informasi/arsip/"),
             ("ppid-subscribe", "/informasi/langganan/")]
    exempt = selectors.public_items(category="dikecualikan").first()
    if exempt is not None:
        pages.append(("ppid-register-exempt", f"/informasi/daftar/{exempt.pk}/"))
    entry = selectors.public_archive().first()
    if entry is not None:
        pages.append(("ppid-archive-entry", f"/informasi/arsip/{entry.pk}/"))
    years = selectors.published_report_years()
    if years:
        pages.append(("ppid-annual-report", f"/informasi/laporan-tahunan/{years[0]}/"))
    return pages


def elsewhere_pages() -> list[tuple[str, str]]:
    """A service of another government that forwards by Open311 (ADR 0045): its request form, and the
    citizen's page of the newest forwarded request (when the database holds them)."""
    from balai.catalog.models import ExternalRequest, ExternalService

    pages = []
    service = ExternalService.objects.filter(is_published=True).exclude(open311_url="").order_by("pk").first()
    if service is not None:
        pages.append(("elsewhere-apply", f"/layanan/luar/{service.code}/ajukan/"))
    request = ExternalRequest.objects.filter(status=ExternalRequest.Status.SENT).order_by("-pk").first()
    if request is not None:
        pages.append(("elsewhere-request", f"/layanan/luar/permintaan/{request.reference}/"))
    return pages


class _TemporaryServer:
    """A threaded WSGI server on 127.0.0.1 with static files, like the test live server."""

    def __enter__(self) -> str:
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
        from django.core.wsgi import get_wsgi_application

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args) -> None:
                pass

        self.server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
        self.server.set_app(StaticFilesHandler(get_wsgi_application()))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def _small_png(raw: bytes) -> bytes:
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with WeasyPrint; without it keep Chromium's PNG
        return raw
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_HEIGHT))
    image = image.quantize(colors=256)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


class Command(BaseCommand):
    help = "Take screenshots of the key public pages (360 and 1280 px, Indonesian and English) into docs/screenshots/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", help="Base URL of a running server (default: start a temporary one).")
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"),
                            help="Folder for the PNG files.")

    def handle(self, *args, **options) -> None:
        if not Path(CHROMIUM).exists():
            raise CommandError(f"Chromium not found at {CHROMIUM} (apt-get install chromium).")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        pages = key_pages()
        if options.get("only"):
            pages = [(name, path) for name, path in pages if name.startswith(options["only"])]
        if options["url"]:
            self._shoot(options["url"].rstrip("/"), pages, out)
        else:
            with _TemporaryServer() as base:
                self._shoot(base, pages, out)

    def _shoot(self, base: str, pages: list[tuple[str, str]], out: Path) -> None:
        import os

        from playwright.sync_api import sync_playwright

        # Playwright runs an event loop in this thread; the ORM is used by the server thread only.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        count = 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=1,
                                                  java_script_enabled=False)
                    page = context.new_page()
                    for lang, prefix in LANGUAGES:
                        for name, path in pages:
                            page.goto(base + prefix + path)
                            raw = page.screenshot(full_page=True, type="png", animations="disabled")
                            target = out / f"{name}-{lang}-{width}.png"
                            target.write_bytes(_small_png(raw))
                            count += 1
                            self.stdout.write(f"{target.name} ({target.stat().st_size // 1024} KB)")
                    context.close()
            finally:
                browser.close()
        self.stdout.write(self.style.SUCCESS(f"{count} screenshot(s) in {out}"))
