"""Conversations: a customer's message becoming a ticket, agents' actions on it, the desk service."""
