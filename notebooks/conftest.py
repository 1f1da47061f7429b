"""nbval settings for the notebooks: which outputs are noise by nature."""


def pytest_collectstart(collector):
    """Skip comparing MIME types that only restate what is compared elsewhere.

    Figures (PNG) are not compared by nbval anyway; the data behind every
    figure is tested in ``tests/``. ``text/html`` is the HTML twin of a
    DataFrame's ``text/plain``, which is compared.
    """
    if collector.path.suffix == ".ipynb":
        collector.skip_compare += ("text/html", "image/png", "image/jpeg", "image/svg+xml")
