"""The draw benchmark: time the full concept map against a blank figure with the same boxes."""

from __future__ import annotations

from benchmarks._common import Figure
from benchmarks._result import Result, Settings, probe, ratio

__all__ = ["run"]


def run(settings: Settings) -> Result:
    """Time the full concept map against a blank figure with the same boxes.

    Parameters
    ----------
    settings : Settings
        ``repeats`` draws of each in one fresh process, alternating which
        goes first, after one untimed draw of each (see
        ``benchmarks._probe.draw``).

    Returns
    -------
    Result
        Goal: full map / same boxes without arrows <= 2. Both are drawn by
        the public :func:`explainer.plots.draw_concept_map` and saved to PNG
        in memory, as the exports save them.
    """
    result = Result("draw")
    settings.progress(f"draw: {settings.repeats} draws of each, one process")
    times = probe("draw", str(settings.repeats))
    full = result.measurement("full", f"draw_concept_map, {times['edges']} arrows, to PNG")
    blank = result.measurement("blank", "floor: the same boxes without arrows, to PNG")
    full.samples, blank.samples = times["full"], times["blank"]
    result.figures.append(
        ratio("full_vs_blank", "full concept map / the same boxes", full, blank, ("<=", 2.0))
    )
    result.figures.append(Figure("full", "full concept map draw", full.median, "s"))
    return result
