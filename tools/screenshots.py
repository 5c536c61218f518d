"""Full-page screenshots of five pages at 390 and 1280 px, as WebP, for docs/screenshots/.

    make demo && .venv/bin/python tools/screenshots.py output docs/screenshots after

Chromium is Debian's (/usr/bin/chromium), as in the tests.
"""

import functools
import http.server
import io
import sys
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

out, dest, suffix = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
PAGES = {"home": "", "offer": "our-offer/", "careers": "careers/",
         "agency": "agency-to-permanent/", "improvement": "improvement/"}
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the name http.server gives it
        pass


handler = functools.partial(_Quiet, directory=str(out))
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
threading.Thread(target=srv.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{srv.server_address[1]}/"
with sync_playwright() as p:
    b = p.chromium.launch(executable_path="/usr/bin/chromium")
    for width in (390, 1280):
        page = b.new_page(viewport={"width": width, "height": 900})
        for name, path in PAGES.items():
            page.goto(base + path, wait_until="networkidle")
            png = page.screenshot(full_page=True)
            im = Image.open(io.BytesIO(png)).convert("RGB")
            # WebP holds at most 16383 px a side: a longer page is kept in parts.
            parts = [im.crop((0, top, im.width, min(im.height, top + 16000))) for top in range(0, im.height, 16000)]
            for n, part in enumerate(parts, start=1):
                tail = "" if n == 1 else f"-{n}"
                part.save(dest / f"{name}-{width}-{suffix}{tail}.webp", "WEBP", quality=55, method=6)
            print(name, width, im.height)
        page.close()
    b.close()
srv.shutdown()
