"""Notices when a remote model keeps failing, so a silent slide into the fallback becomes visible.

Every failed call already moves the chain on (the customer is answered by the next model or
the offline rules), which is exactly what can hide a broken setup for days: a refused schema
or an expired key turns *every* call into a fallback. After ``alert_after`` failed calls of one
model in a row, the desk is told once, with the reason; when that model answers again, it is
told that too. The streaks are this process's own: after a restart a broken model is noticed
again after the same number of calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.ai import texts
from core.ai.schema import CallRecord


@dataclass(slots=True)
class ModelHealth:
    """Counts consecutive failures per remote model and words the notices for the desk."""

    alert_after: int
    """Failed calls in a row that raise the alert; 0 turns the alerts off."""
    _streaks: dict[str, int] = field(default_factory=dict)
    _alerted: set[str] = field(default_factory=set)
    _pending: list[str] = field(default_factory=list)

    def observe(self, call: CallRecord) -> None:
        """Count one logged call (the offline rules never fail, so only remote models build streaks)."""
        if self.alert_after <= 0:
            return
        model = call.model
        if call.outcome == "ok":
            self._streaks[model] = 0
            if model in self._alerted:
                self._alerted.discard(model)
                self._pending.append(texts.ai_model_recovered(model))
            return
        self._streaks[model] = self._streaks.get(model, 0) + 1
        if self._streaks[model] >= self.alert_after and model not in self._alerted:
            self._alerted.add(model)
            self._pending.append(
                texts.ai_model_failing(model, self._streaks[model], call.outcome, call.detail)
            )

    def take_notices(self) -> list[str]:
        """The notices not yet posted (each is handed out once)."""
        notices, self._pending = self._pending, []
        return notices
