"""Test kernels only: draw every displayed figure without rasterizing it.

The profile's ``InlineBackend.figure_formats = set()`` stops the PNG; this
keeps the drawing. Every artist's ``draw`` runs (text layout, arrows clipped
to their boxes, images resampled, ...) through ``Figure.draw_without_rendering``,
so an error that appears only when a figure is drawn is raised in the cell
that shows the figure: IPython reports a failing formatter as an error
output, and nbval fails the cell. The formatter returns ``None``, so it adds
no output of its own. Registered by name (matplotlib is not imported here)
and on ``FigureBase``: the inline backend removes every formatter of
``Figure`` itself whenever it is configured, and lookups follow the MRO.
"""


def _draw_without_rendering(fig):
    fig.draw_without_rendering()


get_ipython().display_formatter.formatters["text/latex"].for_type_by_name(  # noqa: F821
    "matplotlib.figure", "FigureBase", _draw_without_rendering
)
