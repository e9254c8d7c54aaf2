"""Tier 2 after "more than 2 earlier contacts" on the same problem: contacts are tickets, not messages.

The playbook's ``multiple_failed_tier_1_attempts``: a customer who already came back about the
same problem more than twice goes to a specialist. The messages of the conversation at hand are
one contact, however many there are.
"""

from __future__ import annotations

from datetime import timedelta

from tests.ai.conftest import OPEN, AIDesk, StartAIDesk
from tests.ai.test_answers import write
from tests.test_conversation_loop import click

BILLING = "Como faço para pagar com boleto?"


async def tiers(desk: AIDesk) -> list[tuple[int, int, str | None]]:
    """(ticket, tier the AI decided, why) for every triaged message, in order."""
    rows = await desk.rows("SELECT ticket_id, tier, tier_reason FROM ai_triage ORDER BY message_id")
    return [(int(t), int(tier), reason) for t, tier, reason in rows]


async def test_four_messages_in_one_billing_conversation_stay_in_tier_1(ai_desk: AIDesk) -> None:
    for _ in range(4):
        await write(ai_desk, BILLING)
        ai_desk.clock.at += timedelta(minutes=5)

    assert await tiers(ai_desk) == [(1, 1, None)] * 4
    assert await ai_desk.rows("SELECT id, tier FROM tickets") == [(1, 1)]


async def test_a_fourth_ticket_on_billing_within_30_days_goes_to_tier_2(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(at=OPEN - timedelta(days=27))  # times stay in the past: effects are due
    for ticket in (1, 2, 3):
        await write(desk, BILLING)
        assert await click(desk, "ticket.resolve", ticket, "UANA", desk.parents()[-1]["ts"]) == 200
        await desk.settle()
        desk.clock.at += timedelta(days=9)  # 27 days in all: every earlier ticket is within 30

    await write(desk, BILLING)

    assert await tiers(desk) == [
        (1, 1, None),
        (2, 1, None),
        (3, 1, None),  # two earlier contacts: not more than 2 yet
        (4, 2, "multiple_failed_tier_1_attempts"),
    ]
    assert await desk.rows("SELECT tier FROM tickets WHERE id = 4") == [(2,)]


async def test_contacts_older_than_30_days_and_on_other_problems_do_not_count(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(at=OPEN - timedelta(days=48))
    for ticket, text in enumerate(
        (BILLING, BILLING, "Qual o horário de atendimento de vocês?", BILLING), start=1
    ):
        await write(desk, text)
        assert await click(desk, "ticket.resolve", ticket, "UANA", desk.parents()[-1]["ts"]) == 200
        await desk.settle()
        desk.clock.at += timedelta(days=12)  # the first ticket is 36 days old at the end

    await write(desk, BILLING)

    [*_, last] = await tiers(desk)
    assert last == (5, 1, None)  # billing twice within 30 days (tickets 2 and 4): not more than 2
