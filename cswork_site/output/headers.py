"""The published site's security headers, written once and used three ways: a meta tag
on every page, a _headers file (Netlify, Cloudflare Pages and similar hosts) and an
nginx snippet. Nothing needs 'unsafe-inline': there is no inline script or style.
'wasm-unsafe-eval' lets the search index (WebAssembly) run; it allows no eval of text."""

from __future__ import annotations

CSP_DIRECTIVES = (
    "default-src 'self'",
    "img-src 'self' data:",
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


def headers_file() -> str:
    lines = ["/*"] + [f"  {k}: {v}" for k, v in HEADERS.items()]
    for path in IMMUTABLE:
        lines += [path, f"  Cache-Control: {CACHE_FOR_EVER}"]
    return "\n".join(lines) + "\n"


def nginx_snippet() -> str:
    lines = ["# Include inside the site's server { } block."]
    lines += [f'add_header {k} "{v}" always;' for k, v in HEADERS.items()]
    lines += ["location ~ ^/(theme|brand|media)/ {"]
    lines += [f'    add_header {k} "{v}" always;' for k, v in HEADERS.items()]
    lines += [f'    add_header Cache-Control "{CACHE_FOR_EVER}" always;', "}",
              "error_page 404 /404.html;"]
    return "\n".join(lines) + "\n"


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/sitemap.xml\n"
