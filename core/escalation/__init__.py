"""Tier 2 and tier 3: escalation rules, reasons, and the notices they send."""
