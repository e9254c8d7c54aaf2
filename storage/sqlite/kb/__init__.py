"""The knowledge base's full-text and embedding index in SQLite."""
