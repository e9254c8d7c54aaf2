"""SQLite persistence (aiosqlite): the Store port, the webhook inbox and the outbox queue.

SQL lives only in this package. Schema changes are numbered files in ``migrations/``,
applied in order at start.
"""
