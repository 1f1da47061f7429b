"""Test kernels only: draw every displayed figure without rasterizing it, and check it is legible.

The profile's ``InlineBackend.figure_formats = set()`` stops the PNG; this
keeps the drawing. Every artist's ``draw`` runs (text layout, arrows clipped
to their boxes, images resampled, ...) through ``Figure.draw_without_rendering``,
and the drawn figure is checked as the reader will see it
(:func:`explainer.plots._legibility.check_legible`: no overlapping texts, no
edge through a box, no text under 8 pt at the width it is shown). So an
error that appears only when a figure is drawn, or a figure nobody could
read, is raised in the cell that shows the figure: IPython reports a failing
formatter as an error output, and nbval fails the cell. The formatter
returns ``None``, so it adds no output of its own. Registered by name
(matplotlib is not imported here) and on ``FigureBase``: the inline backend
removes every formatter of ``Figure`` itself whenever it is configured, and
lookups follow the MRO.
"""


def _draw_and_check(fig):
    from explainer.plots._legibility import check_legible

    check_legible(fig)  # draws the figure without rendering it, then reads the extents


get_ipython().display_formatter.formatters["text/latex"].for_type_by_name(  # noqa: F821
    "matplotlib.figure", "FigureBase", _draw_and_check
)
