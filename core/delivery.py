"""Carry out one queued effect through the desk and the customer's channel.

The outbox worker calls :meth:`EffectRunner.run` for each due row and handles retries;
this module decides what each effect means on the platforms and what to show when one
fails for good.
"""

from __future__ import annotations

from dataclasses import dataclass

from core import phone, texts
from core.effects import (
    Effect,
    MarkRead,
    PostNote,
    PostTicket,
    RefreshTicket,
    SendToCustomer,
    ShowDelivery,
    ShowInboundMessage,
    ShowReaction,
)
from core.errors import PermanentError, TransientError
from core.models import (
    MEDIA_KINDS,
    Channel,
    Customer,
    DeliveryState,
    Direction,
    Message,
    MessageKind,
    Ticket,
    TicketView,
)
from core.ports import AgentDesk, Clock, CustomerChannel, Store


@dataclass(frozen=True, slots=True)
class DeskPolicy:
    """How tickets are presented to agents."""

    mask_phones: bool = True


class EffectRunner:
    """Executes effects against the ports; raises TransientError or PermanentError on failure."""

    def __init__(
        self,
        store: Store,
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

    async def run(self, effect: Effect) -> None:
        """Carry out ``effect`` once."""
        match effect:
            case PostTicket():
                await self._post_ticket(effect)
            case RefreshTicket():
                ticket = await self._ticket(effect.ticket_id)
                if ticket.thread_ref:
                    await self._desk.update_ticket(ticket.thread_ref, await self._view(ticket))
            case ShowInboundMessage():
                await self._show_inbound(effect)
            case ShowReaction():
                message = await self._message(effect.message_id)
                if message.desk_ref:
                    await self._desk.react(message.desk_ref, effect.emoji)
            case ShowDelivery():
                await self._show_delivery(effect)
            case PostNote():
                await self._desk.post_in_thread(await self._thread(effect.ticket_id), effect.text)
            case SendToCustomer():
                await self._send(effect)
            case MarkRead():
                ticket = await self._ticket(effect.ticket_id)
                await self._channels[ticket.channel].mark_read(effect.external_id)
            case _:
                raise PermanentError(f"unknown effect {effect.kind}")

    async def gave_up(self, effect: Effect, attempts: int, detail: str) -> None:
        """An effect failed for good: make it visible in the ticket's thread.

        A failed send also marks the agent's message, so the agent sees which one did not go.
        """
        async with self._store.transaction() as tx:
            now = self._clock.now()
            if isinstance(effect, SendToCustomer):
                message = await tx.get_message(effect.message_id)
                if message is not None:
                    await tx.set_delivery(message.id, DeliveryState.FAILED, None, detail)
                    await tx.add_effect(
                        ShowDelivery(effect.ticket_id, message.id, DeliveryState.FAILED.value), now
                    )
                    return
            if isinstance(effect, PostNote):
                return  # the note was itself the warning; do not loop
            what = texts.EFFECT_DESCRIPTIONS.get(effect.kind, effect.kind)
            await tx.add_effect(
                PostNote(effect.ticket_id, texts.delivery_gave_up(what, attempts, detail)), now
            )

    async def rejected(self, effect: Effect, error: PermanentError) -> None:
        """The platform refused the effect outright: record and explain it instead of retrying."""
        if isinstance(effect, SendToCustomer):
            async with self._store.transaction() as tx:
                await tx.set_delivery(effect.message_id, DeliveryState.FAILED, error.reason, str(error))
                await tx.add_effect(
                    ShowDelivery(effect.ticket_id, effect.message_id, DeliveryState.FAILED.value),
                    self._clock.now(),
                )
            return
        await self.gave_up(effect, 1, str(error))

    async def _post_ticket(self, effect: PostTicket) -> None:
        ticket = await self._ticket(effect.ticket_id)
        if ticket.thread_ref:
            return  # posted before a crash or a lost response; do not open a second thread
        thread_ref = await self._desk.post_ticket(await self._view(ticket))
        async with self._store.transaction() as tx:
            ticket = await tx.get_ticket(effect.ticket_id)
            assert ticket is not None
            ticket.thread_ref = thread_ref
            await tx.save_ticket(ticket)

    async def _show_inbound(self, effect: ShowInboundMessage) -> None:
        message = await self._message(effect.message_id)
        if message.desk_ref:
            return
        ticket = await self._ticket(effect.ticket_id)
        thread = await self._thread(ticket.id)
        author = await self._customer_name(ticket)
        if message.kind in MEDIA_KINDS and message.attachment:
            ref = await self._relay_media(ticket, message, thread, author)
        elif message.kind is MessageKind.UNSUPPORTED:
            ref = await self._desk.post_in_thread(thread, texts.unsupported_message(message.text))
        elif message.kind is MessageKind.REACTION:
            ref = await self._desk.post_in_thread(thread, texts.reaction(message.text), author=author)
        else:
            ref = await self._desk.post_in_thread(thread, message.text or "", author=author)
        async with self._store.transaction() as tx:
            await tx.set_message_refs(message.id, desk_ref=ref)

    async def _relay_media(self, ticket: Ticket, message: Message, thread: str, author: str) -> str:
        """Download the customer's file and upload it into the thread; say so if it cannot be had."""
        assert message.attachment is not None
        caption = texts.media_caption(message.kind, message.attachment.caption)
        try:
            file = await self._channels[ticket.channel].download(message.attachment)
        except PermanentError as error:
            return await self._desk.post_in_thread(
                thread, texts.media_unavailable(message.kind, str(error)), author=author
            )
        return await self._desk.upload_to_thread(thread, file, f"*{author}*: {caption}")

    async def _show_delivery(self, effect: ShowDelivery) -> None:
        message = await self._message(effect.message_id)
        state = DeliveryState(effect.state)
        if message.desk_ref and message.direction is Direction.OUTBOUND:
            await self._desk.react(message.desk_ref, texts.DELIVERY_EMOJI[state])
        if state is DeliveryState.FAILED:
            thread = await self._thread(effect.ticket_id)
            await self._desk.post_in_thread(
                thread, texts.delivery_failed(message.delivery_reason, message.delivery_detail)
            )

    async def _send(self, effect: SendToCustomer) -> None:
        message = await self._message(effect.message_id)
        if message.external_id:
            return  # already sent before a crash
        ticket = await self._ticket(effect.ticket_id)
        customer = await self._customer(ticket)
        channel = self._channels[ticket.channel]
        if message.attachment is not None:
            file = await self._desk.download(message.attachment.ref)
            external_id = await channel.send_file(customer.address, file, message.attachment.caption)
        else:
            external_id = await channel.send_text(customer.address, message.text or "")
        async with self._store.transaction() as tx:
            await tx.set_message_refs(message.id, external_id=external_id)
            current = await tx.get_message(message.id)
            if current is not None and current.delivery in (None, DeliveryState.PENDING):
                await tx.set_delivery(message.id, DeliveryState.SENT)
                await tx.add_effect(
                    ShowDelivery(ticket.id, message.id, DeliveryState.SENT.value), self._clock.now()
                )

    async def _view(self, ticket: Ticket) -> TicketView:
        customer = await self._customer(ticket)
        previous_ref = None
        if ticket.previous_ticket_id is not None:
            previous = await self._ticket(ticket.previous_ticket_id)
            previous_ref = previous.thread_ref
        resolution_time = None
        if ticket.resolved_at is not None:
            resolution_time = texts.duration((ticket.resolved_at - ticket.opened_at).total_seconds())
        address = phone.mask(customer.address) if self._policy.mask_phones else phone.display(customer.address)
        return TicketView(
            ticket_id=ticket.id,
            status=ticket.status,
            customer_name=customer.name or texts.UNKNOWN_CUSTOMER,
            customer_address=address,
            channel=ticket.channel,
            plan=customer.plan,
            opened_at=ticket.opened_at,
            assignee=ticket.assignee,
            resolved_by=ticket.resolved_by,
            resolution_time=resolution_time,
            previous_ticket_id=ticket.previous_ticket_id,
            previous_thread_ref=previous_ref,
        )

    async def _customer_name(self, ticket: Ticket) -> str:
        return (await self._customer(ticket)).name or texts.UNKNOWN_CUSTOMER

    async def _customer(self, ticket: Ticket) -> Customer:
        async with self._store.transaction() as tx:
            return await tx.get_customer(ticket.customer_id)

    async def _ticket(self, ticket_id: int) -> Ticket:
        async with self._store.transaction() as tx:
            ticket = await tx.get_ticket(ticket_id)
        if ticket is None:
            raise PermanentError(f"ticket {ticket_id} not found")
        return ticket

    async def _thread(self, ticket_id: int) -> str:
        """The ticket's thread; not posted yet means an earlier effect is still retrying."""
        ticket = await self._ticket(ticket_id)
        if not ticket.thread_ref:
            raise TransientError(f"thread of ticket {ticket_id} not posted yet")
        return ticket.thread_ref

    async def _message(self, message_id: int) -> Message:
        async with self._store.transaction() as tx:
            message = await tx.get_message(message_id)
        if message is None:
            raise PermanentError(f"message {message_id} not found")
        return message
