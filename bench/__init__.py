"""Benchmarks that print their figures (never timed assertions in the test suite); see README.md here."""
