"""Lotura's benchmarks: reproducible scripts that print a table (python -m bench.NAME)."""
