"""The knowledge base: articles, the review loop that proposes new ones, and known problems' solutions."""
