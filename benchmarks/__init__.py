"""Benchmarks of stargate-tui measured like a user feels them: see docs/performance.md."""
