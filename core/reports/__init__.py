"""Supervisor reports: the playbook's metrics computed over a period, and their pt-BR text."""
