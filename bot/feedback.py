"""Wires satisfaction surveys into the running bot: which settings fill which policy, which hooks run.

Kept out of :mod:`bot.server` so the composition of this feature reads in one place.
"""

from __future__ import annotations

from datetime import timedelta

from bot.settings import Settings
from core.delivery import EffectRunner
from core.effects import GoodRating
from core.satisfaction import GoodRatingHooks, Satisfaction, SurveyPolicy
from core.service import SupportDesk


def register_surveys(settings: Settings, support: SupportDesk, runner: EffectRunner) -> GoodRatingHooks:
    """Ask for ratings on resolution, take the answers before intake; returns the good-rating hooks."""
    satisfaction = Satisfaction(
        support.reopen_within,
        SurveyPolicy(
            enabled=settings.csat_enabled,
            nps_interval=timedelta(days=settings.nps_interval_days),
            comment_window=timedelta(minutes=settings.csat_comment_minutes),
        ),
    )
    support.interceptors.append(satisfaction.intercept)
    support.resolved_listeners.append(satisfaction.on_resolved)
    hooks = GoodRatingHooks()
    runner.extend({GoodRating: hooks.run})  # type: ignore[dict-item]
    return hooks
