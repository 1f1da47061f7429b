"""The offline site in a real browser: Playwright drives the system Chromium.

Hover, click, pick, search and keyboard use of the explore pages, figures that
decode, and axe-core's accessibility rules on every page. Skipped, with the
reason, where Playwright or Chromium is missing (Playwright's own browser
download is not used: the tests drive the system Chromium).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from tests._built_site import shared_site
from tests._chromium import chromium_or_skip

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
)
axe = pytest.importorskip(
    "axe_playwright_python.sync_playwright",
    reason="axe-playwright-python is not installed (pip install -e '.[test]')",
)
CHROMIUM = chromium_or_skip()

pytestmark = pytest.mark.browser

TIMEOUT = 5_000  # ms: every wait is short; a hang fails fast instead of stalling the suite
# The site's pages, known without building it (collection must stay cheap): the
# fixed views and one page per numbered notebook, checked against the built site below.
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
VIEWS = ["index.html", "map.html", "article.html", "bibliography.html", "dictionary.html"]
PAGES = [*VIEWS, *sorted(f"{p.stem}.html" for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))]
# Every host name resolves to nothing: a page that needs the network fails visibly.
FLAGS = ["--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, timeout=20_000)
        yield browser
        browser.close()


@contextlib.contextmanager
def _opener(browser, **context_options):
    """Open the site's pages (``name`` or ``name#fragment``) in one context; no script errors."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(TIMEOUT)
    errors: list[str] = []

    def go(name: str):
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        name, hash_, fragment = name.partition("#")
        page.goto((shared_site().path / name).as_uri() + hash_ + fragment, wait_until="load")
        return page

    yield go
    context.close()
    assert errors == [], errors


@pytest.fixture
def open_page(browser):
    with _opener(browser, viewport={"width": 1280, "height": 900}) as go:
        yield go


def test_the_pages_listed_here_are_the_pages_built():
    site = shared_site().path
    assert sorted(p.name for p in site.glob("*.html")) == sorted(PAGES)


def test_the_index_shows_its_concept_map_and_its_search_finds_oxytocin(open_page):
    page = open_page("index.html")
    page.locator("img").scroll_into_view_if_needed()  # it loads when the reader reaches it
    page.wait_for_function("[...document.images].every(i => i.complete)")
    images = page.eval_on_selector_all(
        "img", "els => els.map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])"
    )
    assert images == [["exports/concept-map.png", True, images[0][2]]] and images[0][2] > 500
    page.fill("#explainer-search", "oxytocin")
    results = page.locator("#explainer-search-results li")
    sync_api.expect(results.first).to_be_visible()
    texts = results.all_inner_texts()
    assert any("hormone: Oxytocin" in t for t in texts), texts
    assert any(t.startswith("claim:") for t in texts), texts


# Decoding a notebook's figures is the same code path on every page: the default run
# checks the smallest notebook with a figure, --thorough every notebook page.
FIGURE_DEFAULT = "00-start-here.html"
FIGURE_PAGES = [
    f"{p.stem}.html"
    if p.stem == FIGURE_DEFAULT.removesuffix(".html")
    else pytest.param(f"{p.stem}.html", marks=pytest.mark.thorough)
    for p in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    if '"image/png"' in p.read_text(encoding="utf-8")  # a notebook with a figure
]


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_notebook_figures_decode(open_page, name):
    page = open_page(name)
    # Figures load as the reader scrolls to them: load them all now.
    page.eval_on_selector_all("img", "els => els.forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    images = page.eval_on_selector_all("img", "els => els.map(i => i.complete && i.naturalWidth)")
    assert images and all(images), images


def _serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations of the WCAG 2.0/2.1 A and AA rules
    (what "no serious violations" is measured against) on the page as it is now."""
    results = axe.Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            # Only violations are read: axe skips gathering the nodes that pass.
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def _map(page) -> None:
    page.wait_for_function("window.explainerMap && window.explainerMap.nodes().length > 0")


def _screen_point(page, js: str) -> tuple[float, float]:
    box = page.locator("#cy").bounding_box()
    point = page.evaluate(js)
    return box["x"] + point["x"], box["y"] + point["y"]


def test_the_map_is_accessible_hovers_an_edge_highlights_a_concept_and_picks_a_route(
    open_page,
):
    page = open_page("map.html")
    _map(page)
    # No serious accessibility violation (the views with widgets of ours are checked
    # here, every other page by test_no_serious_accessibility_violations, --thorough).
    assert (serious := _serious_violations(page)) == [], serious
    # The legend and the text box come first: bring the map on screen, as a
    # reader scrolls to it, before pointing at it.
    page.evaluate("document.getElementById('cy').scrollIntoView({block: 'center'})")
    # Hovering an edge shows its quote.
    edge = "sex->oxytocin"
    x, y = _screen_point(page, f"window.explainerMap.getElementById('{edge}').renderedMidpoint()")
    page.mouse.move(x, y)
    # The pointer is on sex -> oxytocin; where routes run close, Cytoscape may
    # give the hover to a neighbour: the tooltip must quote the edge it took.
    page.wait_for_function("window.explainerMap.edges('.hover').length === 1")
    hovered = page.evaluate("window.explainerMap.edges('.hover')[0].id()")
    quote = page.evaluate(
        f"window.EXPLAINER_MAP.edges.find(e => e.id === '{hovered}').propositions[0].quote"
    )
    tip = page.locator("#map-tip")
    sync_api.expect(tip).to_contain_text(quote[:40])
    sync_api.expect(tip).to_contain_text("basis:")

    # Clicking a concept (a hormone here) highlights all its links, in and out, and lists them.
    x, y = _screen_point(page, "window.explainerMap.getElementById('oxytocin').renderedPosition()")
    page.mouse.click(x, y)
    on = page.evaluate("window.explainerMap.edges('.on').map(e => e.id()).sort()")
    expected = page.evaluate(
        "window.explainerMap.getElementById('oxytocin').connectedEdges().map(e => e.id()).sort()"
    )
    assert on == expected and "sex->oxytocin" in on
    sync_api.expect(tip.locator("li")).to_have_count(len(expected))
    assert page.evaluate("window.explainerMap.edges('.faded').length") > 0

    # Picking a route shows only that route.
    page.select_option("#route-picker", "mechanism:oxytocin")
    shown = page.evaluate(
        "window.explainerMap.edges().filter(e => !e.hasClass('hidden')).map(e => e.id()).sort()"
    )
    expected = page.evaluate(
        "window.EXPLAINER_MAP.routes.find(r => r.id === 'mechanism:oxytocin').edges.slice().sort()"
    )
    assert shown == expected


def test_the_article_is_accessible_and_a_claim_opens_from_the_keyboard(open_page):
    page = open_page("article.html")
    assert (serious := _serious_violations(page)) == [], serious
    claim = page.locator('.claim[data-claim="c029"]')
    claim.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#claim-panel")
    sync_api.expect(panel).to_contain_text("Claim c029")
    from explainer.audit import claim_audit

    verdict = str(claim_audit().set_index("claim_id").loc["c029", "verdict"])
    sync_api.expect(panel.locator(".verdict")).to_have_text(verdict.replace("_", " "))
    page.locator('.claim[data-claim="c001"]').click()
    sync_api.expect(panel).to_contain_text("Claim c001")


# axe-core takes a second or more a page (seconds on the notebooks' large DOMs): the
# default run checks the two views with widgets of ours in their own tests above (the
# annotated article, with the nav bar and search box every page has, and the
# interactive map); --thorough every other page here.
AXE_IN_VIEW_TESTS = {"article.html", "map.html"}


@pytest.mark.thorough
@pytest.mark.parametrize("name", [p for p in PAGES if p not in AXE_IN_VIEW_TESTS])
def test_no_serious_accessibility_violations(open_page, name):
    page = open_page(name)
    assert (serious := _serious_violations(page)) == [], serious


@pytest.fixture(scope="module")
def views_page(tmp_path_factory) -> Path:
    """A page holding the two views as Jupyter shows them: each in its output's frame."""
    from explainer import explore

    path = tmp_path_factory.mktemp("views") / "views.html"
    outputs = "\n".join(
        f"<div class='output'>{v._repr_html_()}</div>"
        for v in (explore.annotated_article(), explore.concept_map())
    )
    path.write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>views</title></head><body>"
        f"<h1>A notebook</h1>{outputs}<div style='height: 2000px'></div></body></html>",
        encoding="utf-8",
    )
    return path


def test_a_views_frame_fits_its_page_and_works(browser, views_page):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(views_page.as_uri(), wait_until="load")
    # Once the output can run, the static fallback is hidden and the frames show the views.
    assert page.locator(".explainer-view-static").first.is_hidden()
    article = page.frame_locator('iframe[title="The article, annotated"]')
    article.locator('.claim[data-claim="c001"]').click()
    sync_api.expect(article.locator("#claim-panel")).to_contain_text("Claim c001")
    # Each frame is as high as its page: nothing inside is cut off.
    for title in ("The article, annotated", "The concept map, to explore"):
        frame = page.locator(f'iframe[title="{title}"]')
        inner = page.frame_locator(f'iframe[title="{title}"]').locator("html")
        page.wait_for_function(
            "t => { const f = document.querySelector(`iframe[title='${t}']`);"
            " const d = f.contentDocument; return !d || Math.abs(f.clientHeight -"
            " d.documentElement.getBoundingClientRect().height) <= 2; }",
            arg=title,
        )
        height = inner.evaluate("e => e.getBoundingClientRect().height")
        assert abs(frame.evaluate("f => f.clientHeight") - height) <= 2
    context.close()


def test_the_wheel_scrolls_the_page_over_the_map_and_zooms_with_ctrl(open_page):
    page = open_page("map.html")
    _map(page)
    box = page.locator("#cy").bounding_box()
    zoom = page.evaluate("window.explainerMap.zoom()")
    before = page.evaluate("window.scrollY")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 50)
    page.mouse.wheel(0, 300)
    page.wait_for_function(f"window.scrollY > {before}")
    assert page.evaluate("window.explainerMap.zoom()") == zoom
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function(f"window.explainerMap.zoom() > {zoom}")
    page.click("#map-zoom-out")
    page.click("#map-zoom-out")
    assert page.evaluate("window.explainerMap.zoom()") < zoom * 1.1


def test_an_address_opens_a_claim_and_lights_a_concept(open_page):
    page = open_page("article.html#c029")
    panel = page.locator("#claim-panel")
    sync_api.expect(panel).to_contain_text("Claim c029")
    top = page.evaluate(
        "document.querySelector('.claim[data-claim=\"c029\"]').getBoundingClientRect().top"
    )
    assert 0 < top < 900 * 0.75  # in view, about the middle
    # The claim's evidence links to the bibliography.
    refs = panel.locator('a[href^="bibliography.html#ref-"]')
    assert refs.count() > 0
    href = refs.first.get_attribute("href")
    name, _, target = href.partition("#")
    page.goto((shared_site().path / name).as_uri() + "#" + target)
    assert page.evaluate("document.querySelector(':target').id") == target

    page = open_page("map.html#oxytocin")
    _map(page)
    on = page.evaluate("window.explainerMap.edges('.on').map(e => e.id()).sort()")
    expected = page.evaluate(
        "window.explainerMap.getElementById('oxytocin').connectedEdges().map(e => e.id()).sort()"
    )
    assert on == expected and on
    sync_api.expect(page.locator("#map-tip")).to_contain_text("Oxytocin")


def test_picking_a_route_names_it_in_words_and_replaces_the_last_text(open_page):
    page = open_page("map.html")
    _map(page)
    page.select_option("#concept-picker", "oxytocin")
    tip = page.locator("#map-tip")
    sync_api.expect(tip).to_contain_text("Oxytocin")
    page.select_option("#route-picker", "mechanism:physical_connection")
    label = page.evaluate(
        "window.EXPLAINER_MAP.routes.find(r => r.id === 'mechanism:physical_connection').label"
    )
    sync_api.expect(tip).to_contain_text(label)
    assert "_" not in tip.inner_text()
    assert page.input_value("#concept-picker") == ""


# ----------------------------------------------------------------------------
# Phones: 390 x 844

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_phone(browser):
    with _opener(browser, viewport=PHONE, is_mobile=True, has_touch=True) as go:
        yield go


@pytest.mark.parametrize(
    "name",
    [
        p
        if not p[:2].isdigit() or p.startswith("05-")
        else pytest.param(p, marks=pytest.mark.thorough)
        for p in PAGES
    ],
)
def test_no_page_is_wider_than_a_phone(open_phone, name):
    page = open_phone(name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (name, width)
    # The navigation folds: its list of pages is hidden until asked for.
    assert page.locator("#explainer-nav-pages").is_hidden()
    page.click(".explainer-nav-toggle")
    assert page.locator("#explainer-nav-pages").is_visible()
    assert (
        page.evaluate("document.querySelector('.explainer-nav').getBoundingClientRect().height")
        < 844
    )


def test_on_a_phone_a_tapped_claim_opens_where_the_reader_is(open_phone):
    page = open_phone("article.html")
    claim = page.locator('.claim[data-claim="c029"]')
    claim.scroll_into_view_if_needed()
    claim.tap()
    panel = page.locator("#claim-panel")
    sync_api.expect(panel).to_contain_text("Claim c029")
    box = panel.bounding_box()
    assert box["y"] < PHONE["height"] and box["y"] + box["height"] <= PHONE["height"] + 1
    spot = claim.bounding_box()
    assert 0 <= spot["y"] < box["y"]  # the claim stays in sight above the sheet
    assert "tap" in page.locator(".explore-help").inner_text()
    page.click(".claim-panel-close")
    assert panel.is_hidden()


def test_on_a_phone_the_map_starts_readable_and_lists_its_routes(open_phone):
    page = open_phone("map.html")
    _map(page)
    assert page.evaluate("window.explainerMap.zoom()") >= 0.8
    assert "tap" in page.locator(".explore-help").inner_text()
    # The legend is folded, so the map begins on the first screen; it unfolds on a tap.
    assert page.locator("#cy").bounding_box()["y"] < PHONE["height"]
    page.click("#map-legend summary")
    assert page.locator(".map-legend").is_visible()
    page.click("#map-routes summary")
    routes = page.locator("#map-routes li")
    assert routes.count() == page.evaluate("window.EXPLAINER_MAP.routes.length")
    routes.first.locator("a").click()
    shown = page.evaluate("window.explainerMap.edges().filter(e => !e.hasClass('hidden')).length")
    assert shown == page.evaluate("window.EXPLAINER_MAP.routes[0].edges.length")
