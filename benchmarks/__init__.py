"""Benchmarks of the explainer: ``python -m benchmarks`` and ``python benchmarks/flake.py``.

Every figure is a median over repeated runs, and every goal is a ratio
against a floor measured in the same run, so a busy machine slows the thing
and its floor alike. See ``benchmarks/README.md``.
"""
