"""A fake Slack Web API, one module per family of methods (chat, views, files, conversations,
Socket Mode), composed in ``api.FakeSlackAPI``."""
