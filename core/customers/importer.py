"""Customer records pushed by the platform (``atende customers import``, the HTTP endpoint) stored by phone.

A record finds its customer by phone, in either form of a Brazilian mobile and through
linked addresses, so a customer who also talks to us on Telegram keeps one record with
their chats. Unknown phones become new WhatsApp customers. Invalid records are reported with
their line and skipped; every valid one is stored. Records are written in batches, each its
own transaction, so a large import never holds up the desk for long.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Protocol

from core.common import phone, ptbr
from core.common.clock import Clock
from core.common.journal import Journal
from core.customers.files import Rows
from core.customers.model import Channel, CustomerRecord
from core.customers.ports import Customers
from core.customers.records import RecordError, parse_record
from core.tickets.effects import RefreshTicket
from core.tickets.ports import Tickets
from core.unit_of_work import Store


class ImportTx(Journal, Customers, Tickets, Protocol):
    """What the customer import needs from a unit of work."""


BATCH = 500


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts, and each refused record's line with the reason (pt-BR)."""

    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        """Records written (new customers and updated ones)."""
        return self.created + self.updated

    def lines(self) -> list[str]:
        """The report for a person: refused lines, ignored columns, then the totals."""
        out = [f"linha {line}: {reason}" for line, reason in self.errors]
        if self.ignored_columns:
            out.append(f"colunas ignoradas (desconhecidas): {', '.join(self.ignored_columns)}")
        out.append(
            f"{ptbr.count(self.created, 'cliente novo', 'clientes novos')},"
            f" {ptbr.count(self.updated, 'atualizado')},"
            f" {ptbr.count(len(self.errors), 'linha com erro', 'linhas com erro')}"
        )
        return out


class CustomerImport:
    """Stores customer records; the import's one entry point for the CLI and the HTTP endpoint."""

    def __init__(
        self, store: Store[ImportTx], clock: Clock, zone: tzinfo, on_commit: Callable[[], None] = lambda: None
    ) -> None:
        self._store = store
        self._clock = clock
        self._zone = zone
        self._on_commit = on_commit

    async def run(self, read: Rows, on_progress: Callable[[int], None] = lambda n: None) -> ImportReport:
        """Check every row, store the valid ones; ``on_progress(n)`` after each batch of ``n`` rows."""
        report = ImportReport(ignored_columns=read.ignored_columns)
        rows = read.rows
        for first in range(0, len(rows), BATCH):
            batch = rows[first : first + BATCH]
            records = []
            for row in batch:
                if row.error is not None:
                    report.errors.append((row.line, row.error))
                    continue
                try:
                    records.append(parse_record(row.fields, self._zone))
                except RecordError as error:
                    report.errors.append((row.line, str(error)))
            if records:
                async with self._store.transaction() as tx:
                    for record in records:
                        created = await _upsert(tx, record, self._clock)
                        report.created += created
                        report.updated += not created
                self._on_commit()
            on_progress(len(batch))
        return report


async def _upsert(tx: ImportTx, record: CustomerRecord, clock: Clock) -> bool:
    """Store[ImportTx] one record on the customer with this phone; True when the customer is new."""
    customer = await tx.find_customer(Channel.WHATSAPP, phone.variants(record.phone))
    if customer is None:
        customer = await tx.create_customer(Channel.WHATSAPP, record.phone, record.name, clock.now())
        await tx.save_profile(customer.id, record)
        return True
    shown_differently = bool(record.plan) and record.plan != customer.plan
    if record.name and record.name != customer.name:
        await tx.rename_customer(customer.id, record.name)
        shown_differently = True
    await tx.save_profile(customer.id, record)
    if shown_differently:
        ticket = await tx.open_ticket_of(customer.id)
        if ticket is not None:  # agents see the customer's new name or plan on the open ticket
            await tx.add_effect(RefreshTicket(ticket.id), clock.now())
    return False
