"""What agents read about broadcasts on the desk (pt-BR), kept together for review."""

from __future__ import annotations

from datetime import datetime

from core.broadcast.model import Broadcast, RecipientState, Tally
from core.common import labels, ptbr

BAR_WIDTH = 20

BUTTON_PAUSE = "Pausar"
BUTTON_RESUME = "Retomar"
BUTTON_CANCEL = "Cancelar"
CANCEL_CONFIRM_TITLE = "Cancelar o envio?"
CANCEL_CONFIRM_TEXT = "Quem ainda não recebeu não vai receber. Os já enviados continuam enviados."
CANCEL_CONFIRM_YES = "Cancelar envio"
CANCEL_CONFIRM_NO = "Voltar"
NOT_RUNNING = "Esse envio não está em andamento."
NOT_PAUSED = "Esse envio não está pausado."
ALREADY_FINISHED = "Esse envio já terminou."


def when(at: datetime) -> str:
    """A time as agents read it, in São Paulo."""
    return ptbr.day_at(at)


def bar(done: int, total: int) -> str:
    """A text progress bar with the percentage."""
    share = done / total if total else 1.0
    filled = round(share * BAR_WIDTH)
    return f"`{'█' * filled}{'░' * (BAR_WIDTH - filled)}` {share:.0%}"


def progress_title(broadcast: Broadcast) -> str:
    """The first line: what is being sent and where it stands."""
    kind = labels.of(labels.BROADCAST_KIND, broadcast.kind)
    return f"*📣 Envio #{broadcast.id}* ({kind}) · {labels.of(labels.BROADCAST_STATE, broadcast.state)}"


def progress_lines(broadcast: Broadcast, tally: Tally) -> list[str]:
    """The bar and counts while sending; the full tally with reasons once finished."""
    lines = [
        bar(tally.finished, tally.total),
        " · ".join(
            [
                f"{tally.sent} de {ptbr.count(tally.total, 'enviada')}",
                ptbr.count(tally.count(*_DELIVERED), "entregue"),
                ptbr.count(tally.count(_READ), "lida"),
                ptbr.count(tally.count(_FAILED), "falhou", "falharam"),
                ptbr.count(tally.count(_SKIPPED), "pulada"),
            ]
        ),
    ]
    if tally.deferred_until is not None and not broadcast.state.finished:
        lines.append(
            f"⏳ Limite diário do WhatsApp: os demais saem a partir de {when(tally.deferred_until)}."
        )
    if tally.count(_UNCONFIRMED):
        lines.append(f"❔ {tally.count(_UNCONFIRMED)} aguardando confirmação do WhatsApp.")
    if broadcast.state.finished and tally.reasons:
        lines.append("*Motivos:*")
        lines.extend(
            f"• {labels.of(labels.SKIP_REASON, reason)}: {count}"
            for reason, count in sorted(tally.reasons.items(), key=lambda item: -item[1])
        )
    return lines


def progress_text(broadcast: Broadcast, tally: Tally) -> str:
    """Plain-text fallback for notifications."""
    state = labels.of(labels.BROADCAST_STATE, broadcast.state)
    return f"Envio #{broadcast.id}: {tally.sent} de {tally.total} enviadas ({state})"


_DELIVERED = (RecipientState.DELIVERED, RecipientState.READ)
_READ = RecipientState.READ
_FAILED = RecipientState.FAILED
_SKIPPED = RecipientState.SKIPPED
_UNCONFIRMED = RecipientState.UNCONFIRMED
