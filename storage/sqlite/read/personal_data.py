"""Where personal data lives in the database, and how it is exported, erased and expired (LGPD).

Every table is classified here: either it holds something about a customer (then it says
how its rows are found from the customer and what erasing does to them), or it is declared
free of customer data. ``tests/test_lgpd.py`` fails when a table is neither, so a new
feature's table cannot quietly escape an erasure request.

Erasure keeps rows that reports count (tickets, messages, escalations, ratings) and blanks
what identifies or was said by the person; the customer row stays as an anonymous record.
``secure_delete`` (set on every connection) zeroes what is overwritten, and a WAL checkpoint
afterwards leaves no old copy in the write-ahead log either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.common.phone import variants
from storage.sqlite.database import Database

TICKETS_OF = "SELECT id FROM tickets WHERE customer_id = :cid"
ERASED_WORDS = "'(apagado a pedido do cliente)'"
MESSAGES_OF = f"SELECT id FROM messages WHERE ticket_id IN ({TICKETS_OF})"


@dataclass(frozen=True, slots=True)
class Holding:
    """A table that holds customer data: how to find a customer's rows and how to erase them."""

    table: str
    rows: str
    """SQL condition selecting the customer's rows (parameter ``:cid``)."""
    blank: dict[str, str] = field(default_factory=dict)
    """column -> SQL expression it is set to on erasure."""
    delete: bool = False
    """Erasure deletes the rows instead (nothing in them is counted)."""
    export: bool = True
    """Part of the customer's copy (transport queues are not: their content is in other tables)."""


HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "customers",
        "id = :cid OR merged_into = :cid",  # with the records folded into it (a linked Telegram chat)
        {"name": "NULL", "address": "'apagado:' || id"},
    ),
    Holding("customer_addresses", "customer_id = :cid", delete=True),
    Holding("tickets", "customer_id = :cid", {"address": "NULL"}),
    Holding(
        "messages",
        f"ticket_id IN ({TICKETS_OF})",
        # Telegram's message ids name the chat (``tg:<chat>:<message>``)
        {"body": "NULL", "attachment": "NULL", "delivery_detail": "NULL", "external_id": "NULL"},
    ),
    Holding("events", f"ticket_id IN ({TICKETS_OF})", {"detail": "''"}),
    # what the report counts of each ticket (times, counts, the AI's category), kept as it is written
    Holding("ticket_facts", f"ticket_id IN ({TICKETS_OF})"),
    Holding("escalations", f"ticket_id IN ({TICKETS_OF})", {"reason": "''"}),
    Holding("idea_requests", "customer_id = :cid", {"summary": ERASED_WORDS}),
    # an idea is worded (summary, and the normalised key that groups requests) by the request that
    # started it; erased, it keeps its count under a neutral name and new requests start a new idea
    Holding("ideas", "customer_id = :cid", {"summary": ERASED_WORDS, "key": "'apagado:' || id"}),
    Holding("kb_candidates", f"ticket_id IN ({TICKETS_OF})", delete=True),
    Holding("sla_breaches", f"ticket_id IN ({TICKETS_OF})"),
    Holding("sla_timers", f"ticket_id IN ({TICKETS_OF})"),
    # the AI core: its calls hold only counts; a voice note's transcript and a draft are the customer's words
    Holding("ai_calls", f"ticket_id IN ({TICKETS_OF})"),
    Holding("ai_triage", f"ticket_id IN ({TICKETS_OF})", {"transcript": "NULL"}),
    Holding("ai_drafts", f"ticket_id IN ({TICKETS_OF})", {"body": "''", "sources": "'[]'"}),
    # satisfaction and QA: scores are counted; comments are the customer's words, review notes may quote them
    Holding("csat", f"ticket_id IN ({TICKETS_OF})", {"comment": "NULL"}),
    Holding("nps", "customer_id = :cid", {"comment": "NULL"}),
    Holding("surveys", "customer_id = :cid"),
    # proactive journeys: which messages the customer was sent (the ledger holds nothing else)
    Holding("journey_sends", "customer_id = :cid"),
    Holding("qa_reviews", f"ticket_id IN ({TICKETS_OF})", {"notes": "NULL"}),
    # broadcasts: who was sent what (counted in the tally); the platform's error text may quote them
    Holding("broadcast_recipients", "customer_id = :cid", {"detail": "NULL", "external_id": "NULL"}),
    # crisis drafts awaiting confirmation: a pasted list of phones is in the payload
    Holding("crisis_drafts", ":addresses_match", delete=True, export=False),
    # transport rows: what arrived (webhook bodies) and what was queued for the platforms
    Holding("inbox", "processed_at IS NOT NULL AND (:addresses_match)", delete=True, export=False),
    Holding("processed_keys", ":keys_match", delete=True, export=False),
    Holding(
        "outbox",
        "state != 'pending' AND lane IN (SELECT 'desk:' || id FROM tickets WHERE customer_id = :cid"
        " UNION ALL SELECT 'customer:' || id FROM tickets WHERE customer_id = :cid"
        " UNION ALL SELECT 'ai:' || id FROM tickets WHERE customer_id = :cid)"
        # texts sent outside any ticket (an opt-out confirmation) name the address in their lane
        " OR state != 'pending' AND lane LIKE 'customer:to:%' AND (:addresses_match)",
        delete=True,
        export=False,
    ),
)

# Tables with nothing about any customer (the knowledge base, templates, the desk's own
# bookkeeping). FTS5 keeps its index in shadow tables named after the virtual table.
NOT_PERSONAL = frozenset(
    {
        "ai_usage_hourly",  # the AI's calls and triage summed per model and hour: no ticket, no customer
        "announcements",
        "schema_migrations",
        "broadcasts",  # the message sent to many, not about any one customer
        "crises",  # scenario, severity, description; the audience is described, never listed
        "home_viewers",
        "kb_articles",
        "kb_embeddings",
        "kb_fts",
        "kb_generation",
        "kb_vocab",
        "response_templates",
    }
)
SHADOW_SUFFIXES = ("_config", "_content", "_data", "_docsize", "_idx")


def classified(table: str) -> bool:
    """Whether a table is covered by this module (held data, or declared free of it)."""
    if table in NOT_PERSONAL or any(h.table == table for h in HOLDINGS):
        return True
    return any(table == base + suffix for base in NOT_PERSONAL for suffix in SHADOW_SUFFIXES)


class PersonalData:
    """Export, erasure and retention over the whole database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def find_customer(self, phone: str) -> int | None:
        """The customer reachable at this phone (any ninth-digit form, first or linked address)."""
        forms = variants(phone)
        if not forms:
            return None
        marks = ",".join("?" * len(forms))
        async with (
            self._db.locked() as conn,
            conn.execute(
                f"SELECT customer_id FROM customer_addresses WHERE address IN ({marks})"
                f" UNION ALL SELECT id FROM customers WHERE address IN ({marks}) LIMIT 1",
                (*forms, *forms),
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return int(row[0]) if row else None

    async def export(self, customer_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every row about the customer, table by table (what an LGPD access request returns)."""
        copy: dict[str, list[dict[str, Any]]] = {}
        async with self._db.locked() as conn:
            addresses = await self._addresses(conn, customer_id)
            for holding in await self._present(conn):
                if not holding.export:
                    continue
                where, params = _condition(holding.rows, customer_id, addresses)
                async with conn.execute(f"SELECT * FROM {holding.table} WHERE {where}", params) as cursor:
                    names = [d[0] for d in cursor.description]
                    rows = await cursor.fetchall()
                copy[holding.table] = [dict(zip(names, row, strict=True)) for row in rows]
        return copy

    async def erase(self, customer_id: int) -> dict[str, int]:
        """Blank or delete the customer's personal data everywhere; returns rows touched per table."""
        touched: dict[str, int] = {}
        async with self._db.locked() as conn:
            addresses = await self._addresses(conn, customer_id)
            holdings = await self._present(conn)
            await conn.execute("BEGIN IMMEDIATE")
            try:
                # the customer row last: other tables find the customer's rows through it
                for holding in sorted(holdings, key=lambda h: h.table == "customers"):
                    where, params = _condition(holding.rows, customer_id, addresses)
                    if holding.delete:
                        sql = f"DELETE FROM {holding.table} WHERE {where}"
                    elif holding.blank:
                        sets = ", ".join(f"{column} = {value}" for column, value in holding.blank.items())
                        sql = f"UPDATE {holding.table} SET {sets} WHERE {where}"
                    else:
                        continue
                    cursor = await conn.execute(sql, params)
                    touched[holding.table] = cursor.rowcount
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            await conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return touched

    async def expire_bodies(self, before: datetime) -> int:
        """Blank message bodies and attachments older than ``before`` (the retention period)."""
        async with self._db.locked() as conn:
            cursor = await conn.execute(
                "UPDATE messages SET body = NULL, attachment = NULL"
                " WHERE sent_at < ? AND (body IS NOT NULL OR attachment IS NOT NULL)",
                (before.isoformat(),),
            )
            await conn.execute(
                "DELETE FROM inbox WHERE processed_at IS NOT NULL AND processed_at < ?", (before.timestamp(),)
            )
            await conn.execute(
                "UPDATE ai_triage SET transcript = NULL WHERE at < ? AND transcript IS NOT NULL",
                (before.isoformat(),),
            )
            await conn.execute(
                "UPDATE ai_drafts SET body = '' WHERE created_at < ? AND body != ''", (before.isoformat(),)
            )
            await conn.commit()
            return cursor.rowcount

    async def _addresses(self, conn: Any, customer_id: int) -> list[str]:
        async with conn.execute(
            "SELECT address FROM customers WHERE id = ? UNION SELECT address FROM customer_addresses"
            " WHERE customer_id = ?",
            (customer_id, customer_id),
        ) as cursor:
            found = [str(row[0]) for row in await cursor.fetchall()]
        return sorted({form for address in found for form in (variants(address) or [address])})

    async def _present(self, conn: Any) -> list[Holding]:
        async with conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
            tables = {row[0] for row in await cursor.fetchall()}
        return [h for h in HOLDINGS if h.table in tables]


def _condition(rows: str, customer_id: int, addresses: Iterable[str]) -> tuple[str, dict[str, Any]]:
    """Bind ``:cid`` and expand ``:addresses_match`` (a webhook body naming any of the addresses) and
    ``:keys_match`` (an idempotency key naming one, as Telegram's do)."""
    params: dict[str, Any] = {"cid": customer_id}
    names = []
    for n, address in enumerate(addresses):
        params[f"a{n}"] = address
        names.append(f":a{n}")
    in_payload = [f"instr(payload, {name}) > 0" for name in names]
    in_key = [
        f"instr(key, ':' || {name} || ':') > 0" for name in names
    ]  # a whole segment, not digits of another
    rows = rows.replace(":addresses_match", " OR ".join(in_payload) or "0")
    return rows.replace(":keys_match", " OR ".join(in_key) or "0"), params
