"""SQL that finds customers by any address they are known by, linked addresses first.

A customer's first address is in ``customers``; addresses linked later (a Telegram chat
whose user shared their phone, the phone of a Telegram customer) are in
``customer_addresses`` and win over a ``customers`` row with the same address: that is
how a record folded into another one stops being found.
"""

from __future__ import annotations

from typing import Any


def matches(addresses: list[str], channel: str | None = None) -> tuple[str, tuple[Any, ...]]:
    """A subquery of ``(customer_id, channel, address, linked_first)`` rows reachable at ``addresses``
    (on ``channel`` only, when given), and its parameters. Order by ``linked_first, customer_id``."""
    marks = ",".join("?" * len(addresses))
    on_channel = "channel = ? AND " if channel is not None else ""
    sql = (
        "SELECT customer_id, channel, address, 0 AS linked_first FROM customer_addresses"
        f" WHERE {on_channel}address IN ({marks})"
        " UNION ALL SELECT id, channel, address, 1 FROM customers"
        f" WHERE {on_channel}address IN ({marks})"
    )
    one = (channel, *addresses) if channel is not None else tuple(addresses)
    return sql, one + one
