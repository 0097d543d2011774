from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks of `make bench` (bench/run): commands and generators, apart from the
    product's apps, which never import them."""

    name = "bench"
    verbose_name = "Benchmarks"
