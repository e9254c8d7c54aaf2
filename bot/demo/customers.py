"""The customers the demo's phone starts with, and how the page describes one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DemoCustomer:
    """A customer the visitor can be on the phone side."""

    phone: str
    name: str
    plan: str = "starter"
    signup: str = ""


DEFAULT_CUSTOMERS = (
    DemoCustomer("5511987654321", "Maria Silva", "starter", "2026-11-20"),
    DemoCustomer("5521998765432", "João Pereira", "growth", "2026-06-02"),
    DemoCustomer("5531991234567", "Lúcia Andrade", "scale", "2025-03-15"),
)
