"""Hostile text in every text field of data and stories never runs script in a real browser.

Each payload calls alert(); Chromium reports any dialog. Payloads are spread across the
fields in two rotations, so each lands in several kinds of field.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from .helpers import CONSENT_LINES, copy_site, cswork, html_pages, page_url, serving

pytestmark = pytest.mark.slow  # builds sites, runs cswork or drives a browser

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<svg><script>alert(4)</script></svg>",
    '"><script>alert(5)</script>',
    "'><img src=x onerror=alert(6)>",
    "<iframe src=\"javascript:alert(7)\"></iframe>",
    "<body onload=alert(8)>",
    '<a href="javascript:alert(9)">click</a>',
    "<a href=\"JaVaScRiPt:alert(10)\">click</a>",
    "<a href=\"&#106;avascript:alert(11)\">click</a>",
    "<details open ontoggle=alert(12)>",
    "<input autofocus onfocus=alert(13)>",
    "<video><source onerror=alert(14)></video>",
    "<audio src=x onerror=alert(15)>",
    "<marquee onstart=alert(16)>",
    "<object data=\"javascript:alert(17)\"></object>",
    "<embed src=\"javascript:alert(18)\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(19)>",
    "<style>@import 'javascript:alert(20)';</style>",
    "<link rel=stylesheet href=\"javascript:alert(21)\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(22)\">",
    "<form action=\"javascript:alert(23)\"><button>go</button></form>",
    "<isindex action=javascript:alert(24) type=image>",
    "<div style=\"background:url(javascript:alert(25))\">x</div>",
    "<scr<script>ipt>alert(26)</scr</script>ipt>",
    "<<script>alert(27)//<</script>",
    "<script src=data:text/javascript,alert(28)></script>",
    "<img src=\"x\" onerror=\"&#97;lert(29)\">",
    "<svg><animate onbegin=alert(30) attributeName=x dur=1s>",
    "<x onclick=alert(31)>click me</x>",
    "\"onmouseover=\"alert(32)",
    "javascript:alert(33)",
    "{{ 7*7 }}<script>alert(34)</script>{% raw %}",
    "</textarea><script>alert(35)</script>",
    "</title><script>alert(36)</script>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(37)>\">",
    "<template><script>alert(38)</script></template>",
    "<base href=\"javascript:alert(39)//\">",
    "<svg><a xlink:href=\"javascript:alert(40)\"><text x=20 y=20>x</text></a></svg>",
    "<img srcset=\",,,,,x onerror=alert(41)\">",
    "[click](javascript:alert(42))",
    "<!--><script>alert(43)</script>-->",
    "<table background=\"javascript:alert(44)\">",
]

# Keys whose values are ids, references, choices, dates, colours, addresses or file
# paths: the schema rightly refuses markup there, so text fields carry the payloads.
NOT_TEXT = {"id", "kind", "group", "judgement", "leads_to", "related_role", "related_stage", "pathway_stage",
            "path", "url", "website", "link", "email", "dpo_email", "primary", "primary_text", "accent",
            "value", "scope", "shape", "nation"}  # scope, shape, nation: one of a fixed set of words


def _inject(value, payloads, parent_is_stage=False):
    if isinstance(value, dict):
        is_stage = "entry_requirements" in value
        out = {}
        for key, item in value.items():
            if key in NOT_TEXT or (key == "role" and is_stage):
                out[key] = item
            else:
                out[key] = _inject(item, payloads, is_stage)
        return out
    if isinstance(value, list):
        return [_inject(v, payloads, parent_is_stage) for v in value]
    if isinstance(value, str):
        return f"{next(payloads)} {value}"[:190]
    return value


def _hostile_site(root: Path, rotation: int) -> Path:
    site = copy_site(root / f"site{rotation}")
    payloads = itertools.cycle(PAYLOADS[rotation:] + PAYLOADS[:rotation])
    for name in ("service", "offer", "careers", "testimonials", "practice"):
        f = site / "data" / f"{name}.yaml"
        original = yaml.safe_load(f.read_text())
        data = _inject(original, payloads)
        if name == "practice":
            # Behaviours name their value: follow the value names, now hostile too.
            renamed = {old["name"]: new["name"] for old, new in zip(original["values"], data["values"], strict=True)}
            for b in data["behaviours"]:
                if b.get("value"):
                    b["value"] = renamed[b["value"]]
            for story_file in (site / "content" / "stories").glob("*.md"):
                text = story_file.read_text()
                for old, new in renamed.items():
                    text = text.replace(f"Related_value: {old}\n", f"Related_value: {new}\n")
                story_file.write_text(text)
        f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    stories = site / "content" / "stories"
    for n in range(3):
        p = [next(payloads) for _ in range(5)]
        body = "\n\n".join(f"Paragraph {i}: {x}" for i, x in enumerate(PAYLOADS))
        (stories / f"2025-04-0{n + 1}-hostile-{n}.md").write_text(
            f"Title: Hostile {n} {p[0]}\nDate: 2025-04-0{n + 1}\nSummary: {p[1]}\nKind: news\n"
            f"Tags: {p[2].replace(',', ' ')[:60]}, safe-tag\nAuthor_role: {p[3]}\n{CONSENT_LINES}\n{body}\n\n{p[4]}\n")
    return site


@pytest.mark.parametrize("rotation", [0, 23])
def test_no_payload_runs_script_in_a_browser(browser, tmp_path, rotation):
    assert len(PAYLOADS) >= 40
    site = _hostile_site(tmp_path, rotation)
    result = cswork("build", str(site))
    assert result.returncode == 0, result.stderr
    output = site / "output"
    dialogs: list[str] = []
    page = browser.new_page()
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    with serving(output) as base:
        for path in [page_url(output, p) for p in html_pages(output)]:
            page.goto(base + path)
            # Give onload, onerror and animation handlers a moment to fire.
            page.wait_for_timeout(50)
            # JobPosting data blocks are the only scripts allowed, and they never run; besides
            # them, only the calculator and the search script, each on its own page.
            own = {"/agency-to-permanent/": "take-home", "/search/": "search"}.get(path, "(none)")
            scripts = page.evaluate(
                "name => [...document.querySelectorAll('script')]"
                ".filter(s => !['application/ld+json', 'application/json'].includes(s.type)"
                " && !(s.src && new RegExp('/theme/js/' + name + '\\\\.[0-9a-f]+\\\\.js$').test(s.src))).length",
                own)
            js_links = page.evaluate(
                "[...document.querySelectorAll('[href],[src],[action],[data]')]"
                ".filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') "
                "|| e.getAttribute('action') || e.getAttribute('data') || '')).length")
            assert scripts == 0, f"{path} has a script element"
            assert js_links == 0, f"{path} has a javascript: link"
            handlers = page.evaluate(
                "[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                ".some(a => a.name.startsWith('on'))).length")
            assert handlers == 0, f"{path} has an event handler attribute"
    page.close()
    assert dialogs == []
    # The payloads were really there, shown as text rather than dropped.
    offer = (output / "our-offer" / "index.html").read_text()
    assert "&lt;script&gt;" in offer or "&lt;img" in offer or "&lt;svg" in offer
