"""Carry out one queued effect through the desk and the customer's channel.

The outbox worker calls :meth:`EffectRunner.run` for each due row and handles retries;
this module decides what each effect means on the platforms and what to show when one
fails for good. Each effect reads the rows it needs in one short transaction, calls the
platform outside any transaction, then records the result in another.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from core.common import phone
from core.common.clock import Clock
from core.common.effects import Effect
from core.common.errors import FileTooLarge, OutcomeNotRecorded, PermanentError
from core.common.journal import Journal
from core.customers import texts as customers_texts
from core.customers.model import Channel, Customer
from core.customers.ports import Customers
from core.delivery import texts
from core.delivery.effects import PostToChannel
from core.delivery.ports import AgentDesk, CustomerChannel
from core.tickets import texts as tickets_texts
from core.tickets.effects import (
    MarkRead,
    PostNote,
    PostTicket,
    RefreshTicket,
    SendChoices,
    SendToAddress,
    SendToCustomer,
    ShowAgentMessage,
    ShowDelivery,
    ShowInboundMessage,
    ShowReaction,
)
from core.tickets.model import (
    MEDIA_KINDS,
    Choice,
    DeliveryState,
    Direction,
    FailureReason,
    Message,
    MessageKind,
    Ticket,
    TicketView,
)
from core.tickets.ports import Messages, Tickets
from core.unit_of_work import Store


class DeliveryTx(Journal, Customers, Tickets, Messages, Protocol):
    """What the outbox runner needs from a unit of work."""


@dataclass(frozen=True, slots=True)
class DeskPolicy:
    """How tickets are presented to agents, and the largest file relayed either way (MAX_MEDIA_BYTES)."""

    mask_phones: bool = True
    max_media_bytes: int = 100_000_000


@dataclass(slots=True)
class _Context:
    """The rows an effect works on, read together."""

    ticket: Ticket
    customer: Customer
    message: Message | None
    previous_thread_ref: str | None

    @property
    def customer_name(self) -> str:
        return self.customer.name or tickets_texts.UNKNOWN_CUSTOMER

    @property
    def address(self) -> str:
        """Where the customer is reached in this ticket's conversation."""
        return self.ticket.address or self.customer.address

    @property
    def msg(self) -> Message:
        if self.message is None:
            raise PermanentError("message not found")
        return self.message


class EffectRunner:
    """Executes effects against the ports; raises TransientError or PermanentError on failure."""

    def __init__(
        self,
        store: Store[DeliveryTx],
        desk: AgentDesk,
        channels: dict[Channel, CustomerChannel],
        clock: Clock,
        policy: DeskPolicy = DeskPolicy(),
    ) -> None:
        self._store = store
        self._desk = desk
        self._channels = channels
        self._clock = clock
        self._policy = policy
        self._more: dict[type[Effect], Callable[[Effect], Awaitable[None]]] = {}
        self._gave_up_more: dict[type[Effect], Callable[[Effect, str], Awaitable[None]]] = {}

    def extend(self, handlers: Mapping[type[Effect], Callable[[Effect], Awaitable[None]]]) -> None:
        """Let a feature carry out its own effect types (escalation posts, SLA alerts, App Home)."""
        self._more.update(handlers)

    def on_give_up(self, kind: type[Effect], handler: Callable[[Effect, str], Awaitable[None]]) -> None:
        """Let a feature decide what giving up on one of its effects means (the AI hands the message over)."""
        self._gave_up_more[kind] = handler

    async def thread_of(self, ticket_id: int) -> str:
        """The ticket's thread, opened now if it is not there yet, for effects carried out elsewhere.

        Nearly always it is there: then the ticket's row is the only one read.
        """
        async with self._store.snapshot() as tx:
            ticket = await tx.get_ticket(ticket_id)
        if ticket is not None and ticket.thread_ref:
            return ticket.thread_ref
        return await self._thread(await self._load(RefreshTicket(ticket_id)))

    async def run(self, effect: Effect, *, retry: bool = False) -> None:
        """Carry out ``effect`` once; ``retry``: an earlier attempt failed, maybe after it took effect.

        A post that failed may still have appeared (the answer timed out, or a 5xx came after
        the work was done), so a retried post of a message is first looked for in the thread.
        """
        more = self._more.get(type(effect))
        if more is not None:
            await more(effect)
            return
        if isinstance(effect, PostToChannel):
            await self._desk.post_to_channel(effect.channel, effect.shown)
            return
        if isinstance(effect, SendToAddress):
            await self._channels[Channel(effect.channel)].send_text(effect.address, effect.text)
            return
        ctx = await self._load(effect)
        match effect:
            case PostTicket():
                await self._thread(ctx)
            case RefreshTicket():
                await self._desk.update_ticket(await self._thread(ctx), self._view(ctx))
            case ShowInboundMessage():
                if not ctx.msg.desk_ref:  # else shown before a crash
                    ref = await self._show_inbound(ctx, retry)
                    await self._record(lambda tx: tx.set_message_refs(ctx.msg.id, desk_ref=ref))
            case ShowReaction():
                if ctx.msg.desk_ref:
                    await self._desk.react(ctx.msg.desk_ref, effect.emoji)
            case ShowDelivery():
                await self._show_delivery(ctx, DeliveryState(effect.state))
            case PostNote():
                await self._desk.post_in_thread(await self._thread(ctx), effect.shown)
            case SendToCustomer():
                if not ctx.msg.external_id:  # else sent before a crash
                    external_id = await self._send(ctx)
                    await self._record(lambda tx: self._sent(tx, ctx, external_id))
            case ShowAgentMessage():
                if not ctx.msg.desk_ref:  # else shown before a crash
                    text = f"{effect.header}\n{ctx.msg.text or ''}"
                    ref = await self._post_once(ctx, text, None, retry)
                    await self._record(lambda tx: tx.set_message_refs(ctx.msg.id, desk_ref=ref))
            case MarkRead():
                await self._channels[ctx.ticket.channel].mark_read(effect.external_id)
            case SendChoices():
                choices = [Choice(**choice) for choice in effect.choices]  # type: ignore[arg-type]
                await self._channels[ctx.ticket.channel].send_choices(
                    ctx.address, effect.text, choices, effect.button
                )
            case _:
                raise PermanentError(f"unknown effect {effect.kind}")

    async def gave_up(self, effect: Effect, attempts: int, detail: str) -> None:
        """An effect kept failing: make it visible in the ticket's thread.

        A failed send marks the agent's message, so the agent sees which one did not go.
        """
        if isinstance(effect, PostNote):
            return  # the note was itself the warning; do not loop
        if (handler := self._gave_up_more.get(type(effect))) is not None:
            await handler(effect, detail)
            return
        if isinstance(effect, PostToChannel) or not effect.ticket_id:
            return  # about no ticket thread: the worker's log is where it shows
        if isinstance(effect, SendToCustomer):
            await self._record(lambda tx: self._send_failed(tx, effect, None, detail))
            return
        note = PostNote(
            effect.ticket_id,
            texts.delivery_gave_up(texts.EFFECT_DESCRIPTIONS.get(effect.kind, effect.kind), attempts, detail),
        )
        await self._record(lambda tx: tx.add_effect(note, self._clock.now()))

    async def rejected(self, effect: Effect, error: PermanentError) -> None:
        """The platform refused the effect outright: record and explain it instead of retrying."""
        if isinstance(effect, SendToCustomer):
            await self._record(lambda tx: self._send_failed(tx, effect, error.reason, str(error)))
            return
        await self.gave_up(effect, 1, str(error))

    async def _load(self, effect: Effect) -> _Context:
        message_id = getattr(effect, "message_id", None)
        async with self._store.snapshot() as tx:
            ticket = await tx.get_ticket(effect.ticket_id)
            if ticket is None:
                raise PermanentError(f"ticket {effect.ticket_id} not found")
            customer = await tx.get_customer(ticket.customer_id)
            message = await tx.get_message(message_id) if message_id is not None else None
            previous = None
            needs_view = isinstance(effect, (PostTicket, RefreshTicket)) or not ticket.thread_ref
            if ticket.previous_ticket_id is not None and needs_view:
                previous = await tx.get_ticket(ticket.previous_ticket_id)
        return _Context(ticket, customer, message, previous.thread_ref if previous else None)

    async def _record(self, change: Callable[[DeliveryTx], Awaitable[None]]) -> None:
        """Apply ``change(tx)`` in its own transaction (the platform call already happened).

        A failure here is :class:`OutcomeNotRecorded`, never a reason to retry: the row would
        call the platform again and the customer would get the same message twice.
        """
        try:
            async with self._store.transaction() as tx:
                await change(tx)
        except Exception as error:
            detail = f"{type(error).__name__}: {error}"
            raise OutcomeNotRecorded(f"done, but recording it failed: {detail}") from error

    async def _thread(self, ctx: _Context) -> str:
        """The ticket's thread, opened now if it is not there yet.

        Normally PostTicket, first in the ticket's lane, opens it. When that was refused
        (a misconfigured channel, fixed since), whatever the ticket shows next opens it
        instead, so a ticket is never stranded without a thread. Lane order means two
        effects never open the same ticket's thread at once, and a thread posted before a
        crash is never posted again.
        """
        if not ctx.ticket.thread_ref:
            ref = await self._desk.post_ticket(self._view(ctx))
            await self._record(lambda tx: tx.set_thread_ref(ctx.ticket.id, ref))
            ctx.ticket.thread_ref = ref
        return ctx.ticket.thread_ref

    async def _show_inbound(self, ctx: _Context, retry: bool) -> str:
        message = ctx.msg
        if message.kind in MEDIA_KINDS and message.attachment:
            return await self._relay_media(ctx)
        if message.kind is MessageKind.UNSUPPORTED:
            return await self._post_once(ctx, texts.unsupported_message(message.text), None, retry)
        text = (
            tickets_texts.reaction(message.text)
            if message.kind is MessageKind.REACTION
            else message.text or ""
        )
        return await self._post_once(ctx, text, ctx.customer_name, retry)

    async def _post_once(self, ctx: _Context, text: str, author: str | None, retry: bool) -> str:
        """Post the context's message in the thread, unless a failed attempt did post it after all."""
        thread = await self._thread(ctx)
        key = f"message:{ctx.msg.id}"
        if retry and (found := await self._desk.find_in_thread(thread, key)) is not None:
            return found
        return await self._desk.post_in_thread(thread, text, author=author, key=key)

    async def _relay_media(self, ctx: _Context) -> str:
        """Stream the customer's file into the thread through a temporary file; say so if it cannot be had.

        The file goes to disk chunk by chunk and is uploaded from there, so memory stays flat
        whatever its size; one over ``max_media_bytes`` is not downloaded past the cap.
        """
        message = ctx.msg
        assert message.attachment is not None
        channel = self._channels[ctx.ticket.channel]
        with tempfile.TemporaryFile(prefix="atende-media-") as spool:
            try:
                info = await channel.download(message.attachment, spool, self._policy.max_media_bytes)
            except PermanentError as error:
                show = texts.media_too_large if isinstance(error, FileTooLarge) else texts.media_unavailable
                return await self._desk.post_in_thread(
                    await self._thread(ctx), show(message.kind, str(error)), author=ctx.customer_name
                )
            spool.seek(0)
            caption = texts.media_caption(message.kind, message.attachment.caption)
            comment = f"*{ctx.customer_name}*: {caption}"
            return await self._desk.upload_to_thread(await self._thread(ctx), spool, info, comment)

    async def _show_delivery(self, ctx: _Context, state: DeliveryState) -> None:
        message = ctx.msg
        if message.desk_ref and message.direction is Direction.OUTBOUND:
            await self._desk.react(message.desk_ref, texts.DELIVERY_EMOJI[state])
        if state is DeliveryState.FAILED:
            await self._desk.post_in_thread(
                await self._thread(ctx),
                texts.delivery_failed(message.delivery_reason, message.delivery_detail),
            )

    async def _send(self, ctx: _Context) -> str:
        message = ctx.msg
        channel = self._channels[ctx.ticket.channel]
        if message.attachment is not None:
            file = await self._desk.download(message.attachment.ref, self._policy.max_media_bytes)
            return await channel.send_file(ctx.address, file, message.attachment.caption)
        return await channel.send_text(ctx.address, message.text or "")

    async def _sent(self, tx: DeliveryTx, ctx: _Context, external_id: str) -> None:
        """Remember the platform id (statuses refer to it) and mark the message sent."""
        await tx.set_message_refs(ctx.msg.id, external_id=external_id)
        current = await tx.get_message(ctx.msg.id)
        if current is not None and current.delivery in (None, DeliveryState.PENDING):
            await tx.set_delivery(ctx.msg.id, DeliveryState.SENT)
            await tx.add_effect(
                ShowDelivery(ctx.ticket.id, ctx.msg.id, DeliveryState.SENT.value), self._clock.now()
            )

    async def _send_failed(
        self, tx: DeliveryTx, effect: SendToCustomer, reason: FailureReason | None, detail: str
    ) -> None:
        await tx.set_delivery(effect.message_id, DeliveryState.FAILED, reason, detail)
        await tx.add_effect(
            ShowDelivery(effect.ticket_id, effect.message_id, DeliveryState.FAILED.value), self._clock.now()
        )

    def _view(self, ctx: _Context) -> TicketView:
        ticket, customer = ctx.ticket, ctx.customer
        resolution_time = None
        if ticket.resolved_at is not None:
            resolution_time = tickets_texts.duration((ticket.resolved_at - ticket.opened_at).total_seconds())
        if ticket.channel is Channel.TELEGRAM:
            address = customers_texts.telegram_address(ctx.address)
        elif self._policy.mask_phones:
            address = phone.mask(ctx.address)
        else:
            address = phone.display(ctx.address)
        return TicketView(
            ticket_id=ticket.id,
            status=ticket.status,
            customer_name=ctx.customer_name,
            customer_address=address,
            channel=ticket.channel,
            plan=customer.plan,
            opened_at=ticket.opened_at,
            assignee=ticket.assignee,
            resolved_by=ticket.resolved_by,
            resolution_time=resolution_time,
            previous_ticket_id=ticket.previous_ticket_id,
            previous_thread_ref=ctx.previous_thread_ref,
            tier=ticket.tier,
        )
