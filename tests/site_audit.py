"""The built website as a reader's browser sees it: one visit per page and colour scheme, recorded.

``tests/test_site.py`` asserts on these records; ``tests/conftest.py`` prints a table of them at
the end of the run (page weight, console errors, accessibility violations). The site is served
from ``_build/html`` on localhost; MathJax, which the published site loads from a CDN, is served
from a local copy (``make browser-deps`` installs it with npm), and every other request that
leaves the site is refused and recorded, since the published site needs none.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
BUILT = SITE / ".built"  # written by `make book` when a build has succeeded
MATHJAX = ROOT / ".cache" / "browser" / "node_modules" / "mathjax" / "es5"
MATHJAX_CDN = re.compile(r"^https://cdn\.jsdelivr\.net/npm/mathjax@3/es5/(.+?)(\?.*)?$")
SCREENSHOTS = ROOT / "_build" / "screenshots"

#: The most a page may weigh, HTML and the images it loads together.
PAGE_BUDGET = 2.5e6
#: What the site's sources are: a change to any of them makes the built site stale.
SOURCES = [
    "_config.yml",
    "_toc.yml",
    "intro.md",
    "references.bib",
    "chapters/*.ipynb",
    "appendices/*",
    "_static/*",
    "_ext/*.py",
    "optlib/**/*.py",
]
#: Pages not audited: index.html only redirects to intro.html.
SKIPPED = {"index.html"}
#: Every visit of this run; ``save_summary`` writes what tests/conftest.py prints at the end.
VISITS = {}
SUMMARY = ROOT / "_build" / "site-summary.json"
#: Chromium's switches for a machine without network access beyond localhost.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium():
    """The Chromium to drive: $CHROMIUM, else Debian's ``chromium`` on the PATH, else None."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium")


def missing_tools():
    """What the browser tests need and this machine lacks, as advice, or None."""
    needs = []
    if not chromium():
        needs.append("Debian's chromium (apt-get install chromium)")
    if not (MATHJAX / "tex-mml-chtml.js").exists():
        needs.append("a local MathJax (npm install --prefix .cache/browser mathjax@3.2.2)")
    if not needs:
        return None
    return "the browser tests need " + " and ".join(needs) + "; `make browser-deps` installs both"


def stale_sources():
    """The sources changed since the last successful build (all of them if there is none)."""
    built = BUILT.stat().st_mtime if BUILT.exists() else -1.0
    return [
        path
        for pattern in SOURCES
        for path in sorted(ROOT.glob(pattern))
        if path.is_file() and path.stat().st_mtime > built
    ]


def build_site():
    """Build the website with the README's command if it is missing or older than its sources."""
    if stale_sources():
        subprocess.run(["make", "book"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def pages():
    """Every HTML page of the site, as a path relative to its root."""
    found = sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*.html")
        if not path.relative_to(SITE).parts[0].startswith(("_", "student"))
    )
    return [page for page in found if page not in SKIPPED]


class Server:
    """``_build/html`` on http://127.0.0.1:<free port>, served from a thread."""

    def __init__(self):
        handler = functools.partial(_QuietHandler, directory=str(SITE))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# --- links and anchors, read from the HTML files -----------------------------------------------


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.images = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])


@functools.cache
def parsed(page):
    parser = _Anchors()
    parser.feed((SITE / page).read_text(encoding="utf-8"))
    return parser


def broken_links(page):
    """The internal links of ``page`` whose file or anchor does not exist."""
    broken = []
    for href in parsed(page).links:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href):  # http:, mailto:, data:, ...
            continue
        target, _, anchor = href.partition("#")
        path = (SITE / page).parent / target if target else SITE / page
        path = path.resolve()
        if path.is_dir():
            path = path / "index.html"
        if not path.exists():
            broken.append(href)
        elif anchor and path.suffix == ".html":
            relative = path.relative_to(SITE.resolve()).as_posix()
            if anchor not in parsed(relative).ids:
                broken.append(href)
    return broken


def page_weight(page):
    """Bytes of the page's HTML and of every image file it loads."""
    images = {
        ((SITE / page).parent / src.split("?")[0]).resolve()
        for src in parsed(page).images
        if not src.startswith("data:")
    }
    return (SITE / page).stat().st_size + sum(p.stat().st_size for p in images if p.exists())


def save_summary(visits):
    """Each page's weight, console errors (both schemes) and serious accessibility violations,
    and the whole site's size, to SUMMARY (the test runs in a worker process; the report is
    printed by the main one)."""
    pages_seen = sorted({page for page, _ in visits})
    summary = {
        "pages": {
            page: {
                "weight": page_weight(page),
                "errors": sum(len(visits[page, s].errors) for s in ("light", "dark")),
                "violations": len(visits[page, "light"].violations),
            }
            for page in pages_seen
        },
        "site": sum(p.stat().st_size for p in SITE.rglob("*") if p.is_file()),
    }
    SUMMARY.write_text(json.dumps(summary, indent=1))


# --- one visit -----------------------------------------------------------------------------------


@dataclass
class Visit:
    """What a reader's browser met on one page in one colour scheme."""

    page: str
    scheme: str
    errors: list = field(default_factory=list)  # console errors and uncaught exceptions
    outside: list = field(default_factory=list)  # requests that left the site
    untypeset: int = 0  # formulas MathJax did not turn into output
    math_errors: list = field(default_factory=list)  # formulas MathJax could not typeset
    cut_formulas: list = field(default_factory=list)  # display formulas partly out of reach
    hidden_numbers: list = field(default_factory=list)  # equation numbers behind a scroll
    raw_tex: list = field(default_factory=list)  # TeX shown as text: math the parser missed
    unloaded: list = field(default_factory=list)  # images that did not load
    no_alt: list = field(default_factory=list)  # images without a text alternative
    dark_figures: list = field(default_factory=list)  # figures that render dark (unreadable)
    explorers: list = field(default_factory=list)  # what each explorer's controls did
    solutions: list = field(default_factory=list)  # (hidden before the click, shown after)
    violations: list = field(default_factory=list)  # axe-core's serious or critical findings


def _route(outside):
    def handle(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1"):
            return route.continue_()
        found = MATHJAX_CDN.match(url)
        if found and (MATHJAX / found.group(1)).is_file():
            return route.fulfill(path=str(MATHJAX / found.group(1)))
        outside.append(url)
        return route.abort()

    return handle


def visit(browser, base_url, page):
    """Open ``page`` in the light colour scheme and check what a reader would meet; then switch
    the same page to the dark scheme (the theme follows prefers-color-scheme as it changes, so
    nothing needs reloading) and check that its figures stay readable there. Returns
    {"light": Visit, "dark": Visit}, and saves a screenshot of the first screen in each scheme to
    _build/screenshots/ (Chromium drops the text of a full-page capture of a long chapter, and
    encoding one takes seconds)."""
    from axe_playwright_python.sync_playwright import Axe

    records = {scheme: Visit(page, scheme) for scheme in ("light", "dark")}
    record = records["light"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    tab = context.new_page()
    tab.route("**/*", _route(record.outside))
    tab.on(
        "console",
        lambda m: (
            record.errors.append(f"{m.text} ({m.location.get('url')})")
            if m.type == "error"
            else None
        ),
    )
    tab.on("pageerror", lambda error: record.errors.append(f"uncaught: {error}"))
    name = page.replace("/", "__").removesuffix(".html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        tab.goto(base_url + page, wait_until="load")
        tab.evaluate("() => window.MathJax?.startup?.promise")
        tab.evaluate(_EAGER_IMAGES)
        record.untypeset = tab.evaluate(
            "() => [...document.querySelectorAll('.math')]"
            ".filter(e => !e.querySelector('mjx-container')).length"
        )
        record.math_errors = tab.evaluate(
            "() => [...document.querySelectorAll('mjx-merror')].map(e => e.textContent)"
        )
        record.cut_formulas = tab.evaluate(_CUT_FORMULAS)
        record.hidden_numbers = tab.evaluate(_HIDDEN_NUMBERS)
        record.raw_tex = tab.evaluate(_RAW_TEX)
        images = tab.evaluate(_IMAGES)
        record.unloaded = [i["src"][:80] for i in images if not i["loaded"]]
        record.no_alt = [i["src"][:80] for i in images if not i["alt"].strip()]
        record.explorers = _try_explorers(tab)
        record.solutions = _try_solutions(tab)
        reader_errors = list(record.errors)  # axe fetches stylesheets on its own
        record.violations = _accessibility_violations(tab, Axe())
        record.errors[:] = reader_errors
        tab.evaluate("() => window.scrollTo(0, 0)")
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.light.png"))
        record = records["dark"]  # from here on, console errors count for the dark scheme
        tab.emulate_media(color_scheme="dark")
        tab.wait_for_function("() => document.documentElement.dataset.theme === 'dark'")
        record.dark_figures = _dark_figures(tab)
        tab.evaluate("() => window.scrollTo(0, 0)")
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.dark.png"))
    finally:
        context.close()
    return records


#: How many of a page's highlighted code blocks axe-core reads whole (see below).
CODE_SAMPLE = 3


def _accessibility_violations(tab, axe):
    """axe-core's serious and critical violations on the page. Every rule reads the whole page
    except in the highlighted code blocks after the first CODE_SAMPLE, where colour contrast is
    left out: the colours of highlighted code are the theme's, the same in every block, and on a
    chapter's thousands of highlighted tokens that one rule took most of the audit's time."""
    left_out = tab.evaluate(
        """sample => [...document.querySelectorAll("div.highlight")].slice(sample)
          .map(block => block.setAttribute("data-audit-contrast", "sampled")).length""",
        CODE_SAMPLE,
    )
    only_violations = {"resultTypes": ["violations"]}
    runs = [axe.run(tab, context={"exclude": [["[data-audit-contrast]"]]}, options=only_violations)]
    if left_out:
        runs.append(
            axe.run(
                tab,
                context={"include": [["[data-audit-contrast]"]]},
                options={**only_violations, "rules": {"color-contrast": {"enabled": False}}},
            )
        )
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} elements"
        for results in runs
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


_EAGER_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(i => { i.loading = "eager"; });
  await Promise.all(images.map(i => i.complete ? null : new Promise(done => {
    i.addEventListener("load", done); i.addEventListener("error", done);
  })));
}"""

# A display formula some of whose glyphs no reader can see: beyond the left edge of a box that
# clips it (content scrolls only to the right), or beyond either edge of a box that hides its
# overflow. What a scrolling box holds is reachable; its ancestors then clip the box itself.
_CUT_FORMULAS = """() => [...document.querySelectorAll('mjx-container[display="true"]')]
  .filter(formula => {
    const glyphs = [...formula.querySelectorAll("mjx-c")].map(c => c.getBoundingClientRect())
      .filter(r => r.width > 0);
    if (!glyphs.length) return false;
    let left = Math.min(...glyphs.map(r => r.left));
    let right = Math.max(...glyphs.map(r => r.right));
    for (let e = formula; e && e.tagName !== "ARTICLE"; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow === "visible") continue;
      const box = e.getBoundingClientRect();
      if (left < box.left - 1) return true;
      if (right > box.right + 1 && (overflow === "hidden" || overflow === "clip")) return true;
      left = Math.max(left, box.left);
      right = Math.min(right, box.right);
    }
    return false;
  })
  .map(formula => formula.textContent.slice(0, 60))"""

# A numbered display formula wider than the column scrolls, and its number, set at the right
# edge, is out of view until the reader scrolls: such a formula is split over two lines instead.
_HIDDEN_NUMBERS = """() => [...document.querySelectorAll('mjx-container[display="true"]')]
  .filter(formula => formula.querySelector("mjx-labels"))
  .filter(formula => formula.scrollWidth > formula.clientWidth + 1)
  .map(formula => formula.textContent.slice(0, 60))"""

# Text outside code and formulas that still reads like TeX ("\\alpha", "$x"): a formula that
# Markdown broke apart (a line starting with "+ " inside it becomes a list item, say).
_RAW_TEX = r"""() => {
  const article = document.querySelector("article");
  if (!article) return [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("pre, code, script, style, mjx-container, .math")) continue;
    if (/\\[a-zA-Z]+|\$[^$\s]/.test(node.textContent)) found.push(node.textContent.slice(0, 60));
  }
  return found;
}"""

_IMAGES = """() => [...document.images]
  .filter(i => !i.closest("[aria-hidden=true]") && i.getAttribute("role") !== "presentation")
  .map(i => ({src: i.currentSrc || i.src, loaded: i.complete && i.naturalWidth > 0,
              alt: i.getAttribute("alt") || ""}))"""


def _dark_figures(tab):
    """Content figures whose rendered pixels are mostly dark: what a figure with a transparent
    background looks like over a dark page (its black text is then unreadable)."""
    from io import BytesIO

    from PIL import Image, ImageStat

    dark = []
    figures = tab.locator("article img[src*='_images/'], article .optlib-explorer img")
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        pixels = Image.open(BytesIO(figure.screenshot())).convert("L")
        if ImageStat.Stat(pixels).median[0] < 128:
            dark.append((figure.get_attribute("src") or "")[-40:])
    return dark


def _digest(explorer):
    return hashlib.sha1(
        explorer.locator("img").evaluate("i => i.src + '|' + i.alt").encode()
    ).hexdigest()


def _try_explorers(tab):
    """For each explorer: does every slider, moved by the keyboard, change the frame and its text
    alternative; is every slider labelled; does the play button change the frame?"""
    outcomes = []
    explorers = tab.locator(".optlib-explorer")
    for index in range(explorers.count()):
        explorer = explorers.nth(index)
        explorer.scroll_into_view_if_needed()
        sliders = explorer.locator("input[type=range]")
        moved, labelled = [], []
        for s in range(sliders.count()):
            slider = sliders.nth(s)
            labelled.append(slider.evaluate("e => e.labels.length > 0 && !!e.labels[0].innerText"))
            before = _digest(explorer)
            at_end = slider.evaluate("e => e.value === e.max")
            slider.focus()
            tab.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
            moved.append(_digest(explorer) != before)
            tab.keyboard.press("ArrowRight" if at_end else "ArrowLeft")
        before = _digest(explorer)
        explorer.locator("button").click()
        tab.wait_for_timeout(900)
        played = _digest(explorer) != before
        explorer.locator("button").click()
        note_hidden = not explorer.locator(".optlib-explorer-note").is_visible()
        outcomes.append(
            {
                "sliders_move_frame": moved,
                "labelled": labelled,
                "play": played,
                "note_hidden": note_hidden,
            }
        )
    return outcomes


def _try_solutions(tab):
    """For each solution block: (its body hidden at first, its body shown after a click)."""
    outcomes = []
    solutions = tab.locator("div.solution")
    for index in range(solutions.count()):
        solution = solutions.nth(index)
        body = solution.locator(":scope > :not(.admonition-title)").first
        hidden = not body.is_visible()
        solution.locator(".admonition-title").click()
        body.wait_for(state="visible", timeout=2000)
        outcomes.append((hidden, body.is_visible()))
    return outcomes
