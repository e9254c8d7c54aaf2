"""What happens when something happens at the desk: the one table of who reacts, in the order they run.

The features are built first (each in its own builder); here they are plugged into the desk.
Every reaction but the last runs inside the transaction of the change that causes it;
the good-rating hooks run from the outbox, after commit (and are retried).
"""

from __future__ import annotations

from core.broadcast.service import Broadcasts
from core.customers import opt_out
from core.feedback.qa import QualityDesk
from core.feedback.satisfaction import GoodRatingHooks, Satisfaction
from core.kb.loop import KnowledgeLoop
from core.tickets.service import DeskReactions, SupportDesk


def connect_reactions(
    support: SupportDesk,
    good_ratings: GoodRatingHooks,
    satisfaction: Satisfaction,
    quality: QualityDesk,
    broadcasts: Broadcasts,
    kb_loop: KnowledgeLoop,
) -> None:
    """Plug each feature's reactions into the desk (call before the workers start)."""
    support.react(
        DeskReactions(
            # a customer writes: the first that takes the message ends it there, before intake;
            # an opt-out keyword first, so it is never taken for a survey answer
            interceptors=(opt_out.intercept, satisfaction.intercept),
            # an agent resolves a ticket: ask for a rating, then maybe sample the ticket for QA
            resolved=(satisfaction.on_resolved, quality.on_resolved),
            # a customer rates a ticket 2 or less: QA's alert
            complaint=(quality.on_complaint,),
            # a platform reports a delivery: broadcasts count theirs
            status=(broadcasts.record_status,),
        )
    )
    # a resolved ticket is rated above 4: the knowledge loop learns from it
    good_ratings.add(kb_loop.on_csat)
