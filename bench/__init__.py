"""Benchmarks: `make bench` (bench/run.py) and the stand-alone scripts next to it."""
