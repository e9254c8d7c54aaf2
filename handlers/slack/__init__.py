"""Slack: the Bolt app, the desk's posts and blocks, and one listener module per feature."""
