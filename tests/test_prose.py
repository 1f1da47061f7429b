"""Notebook prose stays true to the data: every count in a markdown cell is checked here.

Each notebook's markdown is searched for counts (digits and number words).
Every count must sit inside a sentence fragment listed in ``CHECKS`` below,
whose numbers are computed from the data, so that an edit of the data that
changes a count makes this test fail until the prose is updated. Numbers
that are not counts (section numbers, question numbers, notebook numbers,
citation markers) are recognised by ``REFERENCES`` and skipped.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

import explainer
from explainer import coverage, faq, graph, mechanisms, structure
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
    r"|\b[Ss]ection \d"
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
        lambda d: "the one cycle without r026" if d["cycles_without_r026"] == 1 else "",
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
