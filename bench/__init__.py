"""The export benchmark: `python -m bench` (or `make bench`). Figures go in docs/benchmarks.md."""
