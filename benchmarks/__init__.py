"""Benchmarks: a generator of large realistic files and the runner behind `make bench`."""
