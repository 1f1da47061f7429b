"""Notebook prose stays true to the data: every count in a markdown cell is checked here.

Each notebook's markdown is searched for counts (digits and number words).
Every count must sit inside a sentence fragment listed in ``CHECKS`` below,
whose numbers are computed from the data, so that an edit of the data that
changes a count makes this test fail until the prose is updated. Numbers
that are not counts (section numbers, question numbers, notebook numbers,
citation markers) are recognised by ``REFERENCES`` and skipped.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

import pytest

import explainer
from explainer import coverage, faq, graph, mechanisms, structure
from explainer.plots._routes import style_caption
from explainer.provenance import basis_counts

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}
_COUNT = re.compile(r"\b(\d[\d,.]*%?|" + "|".join(WORDS.values()) + r"|tenth)\b", re.IGNORECASE)
# Numbers that name a part of the article or the project, not a count.
REFERENCES = re.compile(
    r"(?:[Ss]ections?|[Ss]ubsections?) \d[\d, ]*(?:\s*(?:and|to) \d)*(?:\.[A-E]|[A-E])?"
    r"|\b\d\.?[A-E]\b|\bQ\d\b|\(\d\)|\[0\d |\]\(0\d-|`-?\d`|\br0\d\d\b"
    r"|\b[Ss]ection \d|\bFAQ \d\b"
)


def w(n: int) -> str:
    """A count as the prose writes it: a word up to twelve, else digits."""
    return WORDS.get(int(n), str(int(n)))


def pct(x: float, digits: int = 0) -> str:
    return f"{100 * x:.{digits}f}%"


@cache
def data() -> dict:
    """Every value the prose states, computed from the data."""
    claims = explainer.load("claims")
    sections = explainer.load("sections")
    relations = explainer.load("relations")
    faqs = explainer.load("faqs")
    links = explainer.load("faq_links")
    sizes = structure.part_sizes().set_index("section_id")
    cites = structure.citation_positions()
    shares = structure.text_shares().set_index("category")
    cov = coverage.coverage().set_index("part")
    lettered = sections[sections.kind == "subsection"]
    per_section = lettered.groupby("parent_id").size()
    lengths = lettered.end - lettered.start
    content = ["s2", "s3", "s4", "s9"]
    effects = mechanisms.hormone_effects()
    paths = mechanisms.mechanism_pathways()
    practices = mechanisms.practice_mechanisms()
    threats = mechanisms.challenge_threats()
    summary = mechanisms.mechanism_summary()
    counts = graph.loop_counts()
    G = explainer.concept_graph()
    main = graph.main_pathways(G)
    reach = faq.faq_reach().set_index("kind")
    echoes = faq.faq_echoes()
    echoed = echoes[echoes.echoes_section_id.notna()]
    return {
        "claims": len(claims),
        "numbered": int((sections.kind == "section").sum()),
        "markers": len(explainer.load("citations")),
        "experts": len(explainer.load("experts")),
        "faqs": len(faqs),
        "bullets": int((sections.kind == "bullet").sum()),
        "sub_min": int(per_section.min()),
        "sub_max": int(per_section.max()),
        "len_min": int(lengths.min()),
        "len_max": int(lengths.max()),
        "long_share": (
            sizes.loc[content, "text_share"].min(),
            sizes.loc[content, "text_share"].max(),
        ),
        "long_claims": (
            int(sizes.loc[content, "claims"].min()),
            int(sizes.loc[content, "claims"].max()),
        ),
        "dense": sizes.loc[["intro", "s1"], "claims_per_100_words"],
        "sparse_s7": sizes.loc["s7", "claims_per_100_words"],
        "marker_gap": int(cites.offset.diff().iloc[1]),
        "marker_pos": cites.position.tolist(),
        "shares": shares.share,
        "content_chars": int(shares.at["content", "chars"]),
        "sentences": int(cov.total.sum()),
        "faq_not_claim": int(cov.at["s9", "not_a_claim"]),
        "faq_claim": int(cov.at["s9", "claim"]),
        "meta_claims": int(
            ((claims.claim_type == "meta") & (claims.section_id != "closing-note")).sum()
        ),
        "mechanisms": len(explainer.load("mechanisms")),
        "hormones": len(explainer.load("hormones")),
        "practices": len(practices),
        "challenges": len(threats),
        "threat_links": int((threats.threatens != "").sum()),
        "families": paths.family.nunique(),
        "effects": effects.claim_id.nunique(),
        "effects_cited": effects[effects.evidence_status == "cited_unresolved"].claim_id.nunique(),
        "support_steps": int(paths.set_index("mechanism_id").at["emotional_support", "length"]),
        "oxytocin_effects": int((effects.hormone_id == "oxytocin").sum()),
        "feelgood_effects": effects[effects.hormone_id == "dopamine"].concept_id.nunique(),
        "lengths": paths.length.value_counts(),
        "own_section": int(paths.own_section.sum()),
        "longest": int((paths.length == paths.length.max()).sum()),
        "stated_practices": int((practices.basis == "stated").sum()),
        "physical_practices": int((practices.mechanism_id == "physical_connection").sum()),
        "biological": int((paths.family == "biological").sum()),
        "no_practice": int((summary.n_practices == 0).sum()),
        "shared_route": int((paths.same_route_as != "").sum()),
        "stated_loops": int(counts["article_describes"]),
        "cycles_stated": int(counts["cycles_stated"]),
        "cycles_without_r026": int(counts["cycles_implied"] + counts["cycles_stated"]),
        "loops_table": int(counts["article_describes"] + counts["we_read_in"]),
        "faq_links": len(links),
        "faq_concepts": links.concept_id.nunique(),
        "faq_echoed": len(echoed),
        "faq_only": int(echoes.echoes_section_id.isna().sum()),
        "faq_only_sex": int((echoes[echoes.echoes_section_id.isna()].concept_id == "sex").sum()),
        "q4_links": int((links.faq_id == "faq4").sum()),
        "echo_top": echoed.groupby("echoes_section_id").size().sort_values(ascending=False),
        "concepts": len(explainer.load("concepts")),
        "touched": int(reach.touched.sum()),
        "states": int(reach.at["state", "concepts"]),
        "state_touched": int(reach.at["state", "touched"]),
        "hormone_concepts": int(reach.at["hormone", "concepts"]),
        "stances": faqs.stance.nunique(),
        "kinds": faqs.question_type.nunique(),
        "plain_yes": int((faqs.stance == "yes").sum()),
        "relations_inferred": int(basis_counts(relations)["inferred"]),
        "edges": G.number_of_edges(),
        "hub": sum(1 for u, v in G.edges() if u == graph.ORIGIN or v == graph.GOAL),
        "stated_routes": main.mechanism[main.basis == "stated"].tolist(),
        "style_caption": style_caption(),
    }


# (notebook, fragment): each fragment is formatted with the data and must
# appear, exactly, in one of the notebook's markdown cells.
CHECKS = {
    "00-start-here": [
        lambda d: f"section 7 into its {w(d['experts'])} experts",
        lambda d: f"section 9 into its {w(d['faqs'])} questions",
        lambda d: f"what the {w(d['faqs'])} questions ask",
    ],
    "01-article-structure": [
        lambda d: f"its introduction, {w(d['numbered'])} numbered sections",
        lambda d: f"where the article's {w(d['markers'])} citation markers sit",
        lambda d: f"an introduction, {w(d['numbered'])} numbered sections",
        lambda d: f"split into {w(d['sub_min'])} to {w(d['sub_max'])} lettered subsections",
        lambda d: f"about {round(d['len_min'], -1)} to {round(d['len_max'], -1)} characters each",
        lambda d: f"Section 1 lists {w(d['bullets'])} one-line bullets",
        lambda d: f"section 7 splits into its {w(d['experts'])} experts",
        lambda d: f"with {w(d['faqs'])} questions in place of subsections",
        lambda d: f"the article's {d['claims']} claims",
        lambda d: f"({pct(d['long_share'][0])[:-1]} to {pct(d['long_share'][1])} of the text each)",
        lambda d: f"({d['long_claims'][0]} or {d['long_claims'][1]} each)",
        lambda d: f"about {round(d['dense'].mean())} per 100 words",
        lambda d: f"{round(d['sparse_s7'])} per 100 words",
        lambda d: f"the {w(d['markers'])} citation markers",
        lambda d: f"The article prints {w(d['markers'])} citation markers",
        lambda d: f"how close together the {w(d['markers'])} markers stand",
        lambda d: f"about {round(d['marker_gap'], -1)} characters apart",
        lambda d: f"(1) at {pct(d['marker_pos'][0])} of the way through",
        lambda d: f"(2) at {pct(d['marker_pos'][1])}",
        lambda d: (
            f"About {pct(d['shares']['content'])} of the text ({d['content_chars']:,} characters)"
        ),
        lambda d: f"The other {pct(1 - d['shares']['content'])}",
        lambda d: f"table of contents ({pct(d['shares']['toc'], 1)})",
        lambda d: f"closing note ({pct(d['shares']['closing_note'], 1)})",
        lambda d: f"the {w(d['meta_claims'])} sentences about the article",
        lambda d: f"section 7 ({pct(d['shares']['meta_claim'], 1)})",
        lambda d: f"comment form ({pct(d['shares']['comment_form'], 1)})",
        lambda d: f"All {d['sentences']} sentences",
        lambda d: f"({d['faq_not_claim']} sentences) outnumber",
        lambda d: f"the sentences that answer them ({d['faq_claim']})",
        lambda d: f"Its {w(d['markers'])} citation markers",
        lambda d: (
            "About a tenth of the text" if round(1 - d["shares"]["content"], 1) == 0.1 else ""
        ),
        # Not counts of the data: the figure's layout and the tree's shape.
        lambda d: "The two columns on the right",
        lambda d: "each part has two bars",
        lambda d: "where the two bars differ",
        lambda d: "three whole parts",
        lambda d: "two closing parts",
    ],
    "02-concept-map": [
        lambda d: "the one feedback loop the article describes",
        lambda d: "Look for the two hubs",
        lambda d: (
            f"The article describes **{'one' if d['stated_loops'] == 1 else w(d['stated_loops'])}**"
        ),
        lambda d: (
            f"and {'one' if d['loops_table'] - d['stated_loops'] == 1 else '?'} more loop"
            " that is our own reading"
        ),
        lambda d: "keeps the two apart",
        lambda d: (
            "No cycle is closed by the article's own words alone" if d["cycles_stated"] == 0 else ""
        ),
        lambda d: "every cycle has a step of ours" if d["cycles_without_r026"] == 0 else "",
        lambda d: f"{d['hub']} of the {d['edges']} propositions start at **Sex** or end at",
        lambda d: (
            "Only the route of physical connection (2A) is stated at every step"
            if d["stated_routes"] == ["physical_connection"]
            else ""
        ),
        lambda d: d["style_caption"],
        lambda d: f"Here are the {w(d['loops_table'])} loops of the `loops` table",
        lambda d: f"{w(d['shared_route']).capitalize()} mechanisms share one route",
    ],
    "03-hormones-and-mechanisms": [
        lambda d: f"in {w(2)} ways: through {w(d['hormones'])} hormones it names",
        lambda d: f"through {w(d['mechanisms'])} mechanisms",
        lambda d: f"suggests {w(d['practices'])} practices",
        lambda d: f"names {w(d['challenges'])} challenges",
        lambda d: f"the {w(d['hormones'])} hormones, what the article says",
        lambda d: f"the {w(d['mechanisms'])} mechanisms in their {w(d['families'])} families",
        lambda d: f"## The {w(d['hormones'])} hormones",
        lambda d: "split into two patterns",
        lambda d: 'the two "feel-good" hormones',
        lambda d: f"For each of the {w(d['hormones'])} hormones",
        lambda d: f"Oxytocin has {w(d['oxytocin_effects'])} effects",
        lambda d: f"share the same {w(d['feelgood_effects'])}",
        lambda d: "the other two reach it only through",
        lambda d: (
            f"Of the {w(d['effects'])} claims behind these cells,"
            f" {'one' if d['effects_cited'] == 1 else w(d['effects_cited'])} carries"
        ),
        lambda d: f"the other {w(d['effects'] - d['effects_cited'])} are offered",
        lambda d: f"## {w(d['mechanisms']).capitalize()} mechanisms in {w(d['families'])} families",
        lambda d: f"The article gives {w(d['mechanisms'])} routes",
        lambda d: f"sorts them into {w(d['families'])} families",
        lambda d: (
            f"most routes take {w(d['lengths'].idxmax())} steps"
            if d["lengths"].max() > len(d["lengths"]) / 2
            else ""
        ),
        lambda d: f"The longest routes are the {w(d['longest'])} that run",
        lambda d: f"Here are its {w(d['support_steps'])} steps",
        lambda d: f"{w(d['own_section']).capitalize()} of the {w(d['mechanisms'])} routes",
        lambda d: "Two more things",
        lambda d: f"Section 5 suggests {w(d['practices'])} practices",
        lambda d: "the mechanism for only one practice" if d["stated_practices"] == 1 else "",
        lambda d: f"Section 6 names {w(d['challenges'])} challenges",
        lambda d: f"It says what {w(d['threat_links'])} of them harm",
        lambda d: f"puts the {w(3)} together",
        lambda d: f"{w(d['physical_practices'])} of the {w(d['practices'])} practices",
        lambda d: f"the other {w(d['practices'] - d['physical_practices'])} work through",
        lambda d: f"any of the {w(d['biological'])} biological mechanisms",
        lambda d: f"{w(d['no_practice'])} of the {w(d['mechanisms'])} mechanisms have no practice",
    ],
    "04-faq-structure": [
        lambda d: f"what the {w(d['faqs'])} questions ask",
        lambda d: f"ends with {w(d['faqs'])} frequently asked questions",
        lambda d: f"you will see the {w(d['faqs'])} questions",
        lambda d: f"## The {w(d['faqs'])} questions and their answers",
        lambda d: (
            f"{w(d['faqs']).capitalize()} questions, {w(d['kinds'])} different kinds,"
            f" and {w(d['stances'])} different stances"
        ),
        lambda d: (
            f"The {w(d['faqs'])} answers make {d['faq_links']} links"
            f" to {d['faq_concepts']} concepts"
        ),
        lambda d: (
            f"Of the {d['faq_links']} links, {d['faq_echoed']} echo a body section and"
            f" {d['faq_only']} do not; {w(d['faq_only_sex'])} of those {w(d['faq_only'])}"
        ),
        lambda d: f"all {w(d['q4_links'])} of its links echo",
        lambda d: (
            f"echoed {w(d['echo_top'].iloc[0])} times each,"
            f" {d['echo_top'].iloc[:2].sum()} of the {d['faq_echoed']} echoes"
        ),
        lambda d: f"The FAQ touches {d['touched']} of the {d['concepts']} concepts",
        lambda d: f"the {w(d['hormone_concepts'])} hormones and the brain",
        lambda d: (
            f"Of the {w(d['states'])} states and feelings it touches only comfort"
            if d["state_touched"] == 1
            else ""
        ),
        lambda d: f"{w(d['faq_only']).capitalize()} links have no body section",
        lambda d: f"These {w(d['faq_only'])} are the FAQ's own",
        lambda d: f"The {w(d['faqs'])} questions are of {w(d['kinds'])} different kinds",
        lambda d: f"({d['faq_echoed']} of {d['faq_links']} links)",
        lambda d: f"{w(d['faq_only']).capitalize()} points appear only in the FAQ",
    ],
}


def markdown(name: str) -> list[str]:
    cells = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_checked_fragment_is_in_the_prose(name):
    text = "\n".join(markdown(name))
    d = data()
    for check in CHECKS[name]:
        fragment = check(d)
        assert fragment, f"{name}: a statement no longer holds for the data"
        assert fragment in text, f"{name}: the prose should say {fragment!r}"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_every_count_in_the_prose_is_checked(name):
    d = data()
    fragments = [check(d) for check in CHECKS[name]]
    unchecked = []
    for cell in markdown(name):
        covered = [False] * len(cell)
        for fragment in [f for f in fragments if f] + [
            m.group(0) for m in REFERENCES.finditer(cell)
        ]:
            for m in re.finditer(re.escape(fragment), cell):
                covered[m.start() : m.end()] = [True] * (m.end() - m.start())
        for m in _COUNT.finditer(cell):
            if not all(covered[m.start() : m.end()]):
                unchecked.append(cell[max(0, m.start() - 30) : m.end() + 30])
    assert not unchecked, f"{name}: counts not checked against the data: {unchecked}"


def test_the_checks_would_catch_a_changed_count():
    d = dict(data())
    d["concepts"] += 1
    fragment = next(
        c(d)
        for c in CHECKS["04-faq-structure"]
        if "concepts" in c(data()) and "touches" in c(data())
    )
    assert fragment not in "\n".join(markdown("04-faq-structure"))


# --- Prose quotes only what is written (issue 24, item 4) ------------------------------

ROOT = NOTEBOOKS.parent
_QUOTED = re.compile(r'"([^"\n]{1,300}?)"|\u201c([^\u201d\n]{1,300}?)\u201d')
# A sentence that declares a quoted phrase to be ours, not the article's.
_OURS = re.compile(r"linking phrase|\bour (?:own )?(?:words?|verbs?|phrases?|reading)\b", re.I)

#: Quotes in files this issue does not own that are neither the article's words
#: nor declared linking phrases, each with why it stays for now. The list is
#: checked both ways: a quote fixed in its file must leave the list.
KNOWN_OFFENDERS = {
    ("05-claims-and-evidence.ipynb", "unproven"): (
        "a ClaimReview rating label of ours, in quotation marks as if quoted; notebook 05 "
        "belongs to the evidence issue (listed in the closing note of issue 24)"
    ),
}


def _plain(text: str) -> str:
    """Markdown or HTML as the reader sees its words: no code, tags or link targets."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def _norm(text: str) -> str:
    table = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
    return text.translate(table).casefold()


def prose_texts() -> list[tuple[str, str]]:
    """Every text a reader reads as ours: notebook markdown, the site's own words."""
    import ast

    out = []
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                out.append((f"{nb.name}", _plain("".join(cell["source"]))))
    site = ROOT / "explainer" / "site.py"
    for node in ast.parse(site.read_text(encoding="utf-8")).body:
        value = getattr(node, "value", None)
        if isinstance(node, ast.Assign) and isinstance(getattr(value, "value", None), str):
            out.append(("site.py", _plain(value.value)))
    for page in sorted((ROOT / "explainer" / "templates").glob("*.html")):
        out.append((f"templates/{page.name}", _template_text(page.read_text(encoding="utf-8"))))
    return out


# What a template shows a reader: not its scripts, styles, Jinja code or tag attributes.
_NOT_TEXT = re.compile(
    r"<script\b.*?</script>|<style\b.*?</style>|\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|<[^>]*>",
    re.S,
)


def _template_text(page: str) -> str:
    return _plain(html.unescape(_NOT_TEXT.sub(" ", page)))


@cache
def _our_phrases() -> frozenset[str]:
    from explainer.provenance import phrase

    rel = explainer.load("relations")
    links = set(rel.link) | {phrase(k, m) for k, m in zip(rel.link, rel.modality, strict=True)}
    return frozenset(_norm(x) for x in links)


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right = min((i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0), default=-1)
    return text[left + 1 : right if right >= 0 else len(text)]


def quote_problem(phrase: str, sentence: str, article: str) -> str | None:
    """Return why a quoted phrase is not allowed, or None when it is.

    Allowed: the article's words, verbatim (apostrophes and case aside; an
    ellipsis may join verbatim parts), or one of our linking phrases in a
    sentence that says it is a linking phrase or our words.
    """
    core = _norm(phrase).strip(" .,;:!?")
    parts = [p.strip(" .,;:") for p in re.split(r"\.\.\.|\u2026", core) if p.strip(" .,;:")]
    if parts and all(p in _norm(article) for p in parts):
        return None
    pieces = [p.strip() for p in core.split("→")]
    ours = core in _our_phrases() or (len(pieces) == 3 and pieces[1] in _our_phrases())
    if ours and _OURS.search(sentence):
        return None
    if ours:
        return "one of our linking phrases, but the sentence does not say so"
    return "not verbatim in the article and not one of our linking phrases"


def test_every_quoted_phrase_is_the_articles_or_declared_ours():
    article = explainer.article_text()
    found, offenders = [], set()
    for where, text in prose_texts():
        for m in _QUOTED.finditer(text):
            phrase = m.group(1) or m.group(2)
            why = quote_problem(phrase, _sentence(text, m.start(), m.end()), article)
            if why and (where, phrase) in KNOWN_OFFENDERS:
                offenders.add((where, phrase))
            elif why:
                found.append(f"{where}: \u201c{phrase}\u201d: {why}")
    assert not found, "\n".join(found)
    assert offenders == set(KNOWN_OFFENDERS), (
        f"fixed, take them off KNOWN_OFFENDERS: {set(KNOWN_OFFENDERS) - offenders}"
    )


@pytest.mark.parametrize(
    ("phrase", "sentence", "allowed"),
    [
        ("can serve as a source of comfort", "It says sex \u201c...\u201d.", True),
        ("Just Physical", "the myth", True),  # case aside
        ("couples who ... often find", "the words", True),
        ("helps partners reconnect in", "The article says it.", False),  # ours, not declared
        ("helps partners reconnect in", "Our linking phrase is it.", True),
        ("sex \u2192 releases \u2192 oxytocin", "a concept, a linking phrase, a concept", True),
        ("couples who both want", "The practices are for them.", False),  # never written
        ("the article\u2019s own verb", "x", False),
    ],
)
def test_quote_rule_on_hand_made_cases(phrase, sentence, allowed):
    assert (quote_problem(phrase, sentence, explainer.article_text()) is None) is allowed


# --- Captions say what the style table says (issue 23, item 5) -----------------------

_FIGURE_WORDS = re.compile(r"\b(?:arrows?|lines?|links?|edges?|cells?)\b", re.I)


def style_problems(text: str) -> list[str]:
    """Return every mention of a style word whose meaning disagrees with the style table.

    In a sentence that speaks of arrows, lines, links, edges or cells, each
    style name of :data:`explainer.plots._routes.EDGE_STYLES` ("dashed",
    "vermillion") must be followed, before the next style name or the end of
    the sentence, by one of the words the table says it means.
    """
    from explainer.plots._routes import EDGE_STYLES

    names = sorted({s.name for s in EDGE_STYLES}, key=len, reverse=True)
    says = {n: {w for s in EDGE_STYLES if s.name == n for w in s.says} for n in names}
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)
    problems = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if not _FIGURE_WORDS.search(sentence):
            continue
        hits = list(pattern.finditer(sentence))
        if not hits:
            continue
        for h, nxt in zip(hits, [*hits[1:], None], strict=True):
            after = sentence[h.end() : nxt.start() if nxt else len(sentence)].casefold()
            name = h.group(1).casefold()
            if not any(w in after for w in says[name]):
                problems.append(f"{name!r} should say {sorted(says[name])}: {sentence.strip()}")
    return problems


# The drawing functions whose colours and lines come from the style table.
_STYLED = re.compile(
    r"\b(?:draw_concept_map|draw_pathways|draw_mechanism_routes|draw_hormone_matrix"
    r"|draw_mechanism_links)\("
)


def _styled_notebooks() -> list[str]:
    """The notebooks that draw a figure from the style table (their captions are checked)."""
    out = []
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        if any(c["cell_type"] == "code" and _STYLED.search("".join(c["source"])) for c in cells):
            out.append(nb.stem)
    return out


def test_the_style_table_figures_are_found():
    assert {"02-concept-map", "03-hormones-and-mechanisms"} <= set(_styled_notebooks())


@pytest.mark.parametrize("name", _styled_notebooks())
def test_captions_describe_styles_as_the_style_table_does(name):
    problems = [p for cell in markdown(name) for p in style_problems(cell)]
    assert not problems, "\n".join(problems)


def test_style_check_catches_the_old_caption():
    old = 'Dashed arrows are links that lower something ("reduces stress"); dotted ones carry no'
    assert style_problems(old)
    from explainer.plots._routes import style_caption

    assert not style_problems(style_caption(("colour", "line", "cell")))


# --- data/CHANGES.md keeps no counts ---------------------------------------------------

# What a number may be in CHANGES.md: an id (r026, c025, n015), a section or
# subsection (2D, section 6, sections 2 to 4, 5E), a FAQ or a question (FAQ 4, Q2).
_NOT_COUNTS = re.compile(
    r"\b[rcn]\d{3}\b|\b\d[A-E]\b|\b(?:FAQ|Q|[Ss]ections?) \d(?: (?:to|and) \d)?\b|\(\d\)"
)


def count_words(text: str) -> list[str]:
    """Return every number in ``text`` that is not an id or a section: a count."""
    plain = _NOT_COUNTS.sub(" ", re.sub(r"`[^`]*`", " ", text))
    return re.findall(r"\b\d[\d,.]*\b", plain)


def test_changes_md_keeps_no_counts():
    text = (ROOT / "data" / "CHANGES.md").read_text(encoding="utf-8")
    assert count_words(text) == [], "CHANGES.md states counts the data cannot check"


def test_the_count_finder_finds_counts():
    assert count_words("of the 74 first rows, 11 are implied") == ["74", "11"]
    assert count_words("r026 (c025, 2D, FAQ 4, section 6, sections 2 to 4) `x = 3`") == []
