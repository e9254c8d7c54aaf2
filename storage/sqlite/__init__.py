"""The SQLite backend: one database file, the unit of work, its repositories, queues and read models."""
