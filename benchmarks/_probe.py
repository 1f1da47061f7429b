"""What the benchmarks time inside a fresh interpreter: ``python -m benchmarks._probe WHAT``.

Each probe prints one JSON object on stdout. Nothing is imported at module
level beyond the standard library, so that the first ``import explainer``
in a probe is the process's first.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _import_api(explainer) -> None:
    for name in explainer.__all__:
        getattr(explainer, name)


def loads() -> dict[str, float | int]:
    """Load every table twice: the first pass is cold, the second warm.

    Returns
    -------
    dict
        ``cold`` and ``warm``, seconds for all tables together (listing the
        tables included), and ``tables``, how many there are.
    """
    import explainer

    # The package imports its functions on first use: import them (and
    # pandas) before the clock starts, as every version of it did on import.
    _import_api(explainer)
    start = time.perf_counter()
    names = explainer.tables()
    for name in names:
        explainer.load(name)
    cold = time.perf_counter() - start

    start = time.perf_counter()
    for name in explainer.tables():
        explainer.load(name)
    warm = time.perf_counter() - start
    return {"cold": cold, "warm": warm, "tables": len(names)}


def validate() -> dict[str, float]:
    """Validate the data package once, in a process that has loaded nothing yet.

    Returns
    -------
    dict
        ``validate``, seconds.
    """
    import explainer

    _import_api(explainer)
    start = time.perf_counter()
    explainer.validate()
    return {"validate": time.perf_counter() - start}


def draw(repeats: int) -> dict[str, list[float]]:
    """Draw the concept map to PNG, and the same boxes with no arrows, in turns.

    Both go through the public :func:`explainer.plots.draw_concept_map` on a
    new figure, saved to memory as the exports save it (PNG, 110 dpi, tight
    bounding box): the map from :func:`explainer.concept_graph`, and a copy
    of it without its edges, which has the same boxes, labels, columns,
    legend and title and no arrows. One untimed draw of each comes first
    (fonts, caches), then ``repeats`` of each, alternating which goes first.

    Parameters
    ----------
    repeats : int
        Timed draws of each.

    Returns
    -------
    dict
        ``full`` and ``blank``: seconds per draw, in the order drawn, and
        ``edges``, how many arrows the full map has.
    """
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import explainer
    from explainer import plots

    full = explainer.concept_graph()
    blank = full.copy()
    blank.remove_edges_from(list(blank.edges))

    def once(graph) -> float:
        start = time.perf_counter()
        ax = plots.draw_concept_map(graph)
        ax.figure.savefig(io.BytesIO(), format="png", dpi=110, bbox_inches="tight")
        seconds = time.perf_counter() - start
        plt.close(ax.figure)
        return seconds

    once(full), once(blank)
    times: dict[str, list[float]] = {"full": [], "blank": []}
    for i in range(repeats):
        order = ("full", "blank") if i % 2 == 0 else ("blank", "full")
        for key in order:
            times[key].append(once(full if key == "full" else blank))
    return {**times, "edges": full.number_of_edges()}


def kernels(count: int, cwd: str) -> dict[str, float | int]:
    """Start ``count`` bare kernels one after another, as nbval starts them.

    nbval (with ``--nbval-current-env``) starts ipykernel with this
    interpreter, in the notebook's folder, waits until it is ready and shuts
    it down with ``now=True``; so does this probe, with nothing run in it.

    Parameters
    ----------
    count : int
        How many kernels.
    cwd : str
        The folder each kernel starts in.

    Returns
    -------
    dict
        ``kernels``, seconds for all of them (the caller times the whole
        process too), and ``count``.
    """
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import KernelManager

    class CurrentEnv(KernelSpecManager):
        # The kernel of this interpreter, whatever kernelspecs are installed.
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                resource_dir=ipykernel.kernelspec.RESOURCES,
                **ipykernel.kernelspec.get_kernel_dict(),
            )

    start = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        for _ in range(count):
            manager = KernelManager(kernel_name="current-env", kernel_spec_manager=CurrentEnv())
            manager.start_kernel(stderr=devnull, cwd=cwd)
            client = manager.client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=60)
            finally:
                client.stop_channels()
                manager.shutdown_kernel(now=True)
    return {"kernels": time.perf_counter() - start, "count": count}


def main(argv: list[str]) -> int:
    """Run the probe named by ``argv[0]`` and print its result as JSON.

    Parameters
    ----------
    argv : list of str
        ``["loads"]``, ``["validate"]``, ``["draw", REPEATS]`` or
        ``["kernels", COUNT, CWD]``.

    Returns
    -------
    int
        0, or 2 for an unknown probe.
    """
    if argv[:1] == ["loads"]:
        result = loads()
    elif argv[:1] == ["validate"]:
        result = validate()
    elif argv[:1] == ["draw"] and len(argv) == 2:
        result = draw(int(argv[1]))
    elif argv[:1] == ["kernels"] and len(argv) == 3:
        result = kernels(int(argv[1]), argv[2])
    else:
        print(
            "usage: python -m benchmarks._probe loads|validate|draw REPEATS|kernels COUNT CWD",
            file=sys.stderr,
        )
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
