"""LGPD requests from supervisors: a copy of what is stored about a customer, and its erasure.

The decisions live here (who the request is about, what the audit trail keeps: never the
personal data itself); the storage knows where the data is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.privacy.ports import PersonalDataStore
from core.tickets.service import SupportDesk


@dataclass(frozen=True, slots=True)
class Export:
    """A customer's data as a JSON document, ready to hand to the person who asked."""

    customer_id: int
    filename: str
    content: str


def proactive_consent(data: dict[str, list[dict[str, Any]]], customer_id: int) -> str:
    """Whether the customer accepts proactive and broadcast messages, in words (opt-out by PARAR)."""
    row = next((c for c in data.get("customers", []) if c.get("id") == customer_id), {})
    since = row.get("opted_out_at")
    return f"recusadas desde {since} (pediu PARAR)" if since else "aceitas"


class Privacy:
    """The LGPD use cases."""

    def __init__(self, data: PersonalDataStore, support: SupportDesk) -> None:
        self._data = data
        self._support = support

    async def find(self, phone: str) -> int | None:
        """The customer a request names by phone."""
        return await self._data.find_customer(phone)

    async def export(self, customer_id: int, requested_by: str) -> Export:
        """Everything stored about the customer; the request is audited (by id, not by name)."""
        now = self._support.now()
        data = await self._data.export(customer_id)
        document = {
            "pedido": "LGPD: acesso aos dados (art. 18, II)",
            "gerado_em": now.isoformat(),
            "cliente_id": customer_id,
            "mensagens_proativas": proactive_consent(data, customer_id),
            "dados": data,
        }
        await self._support.audit(requested_by, "lgpd.exported", f"cliente #{customer_id}")
        return Export(
            customer_id,
            f"lgpd-cliente-{customer_id}-{now:%Y%m%d-%H%M%S}.json",
            json.dumps(document, ensure_ascii=False, indent=2, default=str),
        )

    async def erase(self, customer_id: int, requested_by: str) -> dict[str, int]:
        """Erase the customer's personal data; the audit entry counts rows and names no one."""
        touched = await self._data.erase(customer_id)
        summary = ", ".join(f"{table} {count}" for table, count in sorted(touched.items()) if count)
        await self._support.audit(requested_by, "lgpd.erased", f"cliente #{customer_id}: {summary}")
        return touched

    async def expire(self, now: datetime, retention_days: int) -> int:
        """Blank message bodies older than the retention period."""
        return await self._data.expire_bodies(now - timedelta(days=retention_days))
