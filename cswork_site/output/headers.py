"""The published site's security headers, written once and used three ways: a meta tag
on every page, a _headers file (Netlify, Cloudflare Pages and similar hosts) and an
nginx snippet. Nothing needs 'unsafe-inline': there is no inline script or style.
'wasm-unsafe-eval' lets the search index (WebAssembly) run; it allows no eval of text.

The nginx snippet is the server's configuration, not something for visitors: it is
written beside the output folder (`output.nginx.conf` for `output/`), never in it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cswork_site.files import write_whole

CSP_DIRECTIVES = (
    "default-src 'self'",
    "img-src 'self' data:",
    # A story's video and its captions come from this site only: no third-party player.
    "media-src 'self'",
    "style-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)
# frame-ancestors only works as a header, never in a meta tag.
HEADER_ONLY = ("frame-ancestors 'none'",)
CSP_META = "; ".join(CSP_DIRECTIVES)
CSP_HEADER = "; ".join(CSP_DIRECTIVES + HEADER_ONLY)
HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Files whose names carry a hash of their content never change under the same name.
IMMUTABLE = ("/theme/*", "/brand/*", "/media/*")
CACHE_FOR_EVER = "public, max-age=31536000, immutable"


def headers_file(folders: tuple[str, ...] = ()) -> str:
    """folders: the other languages' folders (cy), which have their own theme, brand and media."""
    lines = ["/*"] + [f"  {k}: {v}" for k, v in HEADERS.items()]
    for prefix in ("", *(f"/{folder}" for folder in folders)):
        for path in IMMUTABLE:
            lines += [prefix + path, f"  Cache-Control: {CACHE_FOR_EVER}"]
    return "\n".join(lines) + "\n"


def published_site_url(settings: Mapping[str, Any]) -> str | None:
    """The site's absolute address without its last slash, or None when SITEURL is not
    absolute (a preview): only a published site gets a sitemap and headers files."""
    site_url = str(settings.get("SITEURL") or "").rstrip("/")
    return site_url if site_url.startswith(("https://", "http://")) else None


def nginx_snippet_path(output: Path) -> Path:
    return output.parent / f"{output.name}.nginx.conf"


def write_nginx_snippet(output: Path, folders: tuple[str, ...] = ()) -> Path:
    """Write the snippet beside output, whole, and only when it changed: a server that
    watches its configuration is not told of a change that is none."""
    path = nginx_snippet_path(output)
    text = nginx_snippet(folders).encode("utf-8")
    try:
        if path.read_bytes() == text:
            return path
    except FileNotFoundError:
        pass
    write_whole(path, text, mode=0o644)
    return path


def nginx_snippet(folders: tuple[str, ...] = ()) -> str:
    """folders: the other languages' folders (cy), each with its own files and 404 page."""
    within = f"(?:(?:{'|'.join(folders)})/)?" if folders else ""
    lines = ["# Written by cswork build --production, which replaces it when the headers change.",
             "# Include inside the site's server { } block."]
    lines += [f'add_header {k} "{v}" always;' for k, v in HEADERS.items()]
    # A story video's captions: browsers show a <track> only when served as text/vtt, a
    # type not every nginx knows. First, since nginx takes the first regex that matches.
    lines += [f"location ~ ^/{within}media/.+\\.vtt$ {{", "    types { }", "    default_type text/vtt;"]
    lines += [f'    add_header {k} "{v}" always;' for k, v in HEADERS.items()]
    lines += [f'    add_header Cache-Control "{CACHE_FOR_EVER}" always;', "}"]
    lines += [f"location ~ ^/{within}(theme|brand|media)/ {{"]
    lines += [f'    add_header {k} "{v}" always;' for k, v in HEADERS.items()]
    lines += [f'    add_header Cache-Control "{CACHE_FOR_EVER}" always;', "}",
              "error_page 404 /404.html;"]
    # A page missing in another language is said so in that language.
    for folder in folders:
        lines += [f"location /{folder}/ {{", f"    error_page 404 /{folder}/404.html;", "}"]
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/sitemap.xml\n"
