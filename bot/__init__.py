"""Composition root: reads settings, picks the adapter for each port, starts the web server,
the inbox and outbox workers, and the CLI. The only package that reads configuration.
"""
