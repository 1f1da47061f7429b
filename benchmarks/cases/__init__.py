"""The benchmarks, one module each; every module has ``run(settings) -> Result``."""
