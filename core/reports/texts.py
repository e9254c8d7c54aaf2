"""The supervisors' report in words (pt-BR): the summary, the SLO lines and the insights.

Kept apart from the desk's short sentences (each capability's ``texts``) because a report is
long; everything a supervisor reads in it is here, to be reviewed in one place.
"""

from __future__ import annotations

from datetime import datetime

from core.common import labels, ptbr
from core.common.markup import Markup
from core.reports.model import Rate, Report, Slo, Stats
from core.tickets import texts as tickets_texts

PERIOD_TITLES = {"hoje": "de hoje", "semana": "da semana", "mes": "do mês"}
SLO_LABELS = {
    "first_response": "1ª resposta < 2 h úteis (< 8 h fora do horário)",
    "resolution": "Resolução < 24 h (< 4 h nos críticos)",
    "csat": "CSAT > 4,5",
    "fcr": "Resolução no 1º contato > 70%",
    "escalation": "Escalonamento < 15%",
}
CHART_TITLES = {
    "volume": "Tickets por dia e categoria",
    "first_response": "1ª resposta humana (mediana do dia) e o prazo",
    "csat": "CSAT médio por dia",
}
CHART_AXES = {
    "day": "dia",
    "tickets": "tickets",
    "hours": "horas",
    "csat": "CSAT (1-5)",
    "sla": "prazo (2 h)",
}
CHARTS_COMMENT = "📈 Gráficos do relatório"
CSV_COMMENT = "🗂️ Linhas do relatório (um ticket por linha)"
UNKNOWN_PERIOD = "Período desconhecido. Use `/suporte relatorio [hoje|semana|mes] [--csv]`."
REPORT_HELP = "`[hoje|semana|mes] [--csv]` — relatório de atendimento com gráficos (supervisão)"


def report_queued(period: str, channel_mention: str) -> str:
    """The immediate answer to ``/suporte relatorio``: the report comes as a post in the channel."""
    title = PERIOD_TITLES.get(period, period)
    return Markup("⏳ Preparando o relatório {}. Ele aparece em {} em instantes.").format(
        title, channel_mention
    )


def rate(r: Rate) -> str:
    """ "72% (50 de 69)", or "sem dados"."""
    return "sem dados" if r.value is None else f"{ptbr.percent(r.value)} ({r.part} de {r.whole})"


def money(value: float) -> str:
    return "US$ " + ptbr.decimal(value, 2)


def timing(s: Stats) -> str:
    """Mean · median · p90 of a duration."""
    if s.count == 0 or s.mean is None or s.median is None or s.p90 is None:
        return "sem dados"
    mean, median, p90 = (tickets_texts.duration(d) for d in (s.mean, s.median, s.p90))
    return f"{mean} · {median} · {p90} ({s.count})"


def slo_line(slo: Slo) -> str:
    """One SLO, marked met (✅), missed (❌) or without data (➖)."""
    label = SLO_LABELS[slo.key]
    if slo.met is None or slo.actual is None:
        return f"➖ {label}: sem dados"
    mark = "✅" if slo.met else "❌"
    if slo.key in ("first_response", "resolution"):
        detail = f"{ptbr.percent(slo.actual)} no prazo (meta {ptbr.percent(slo.target)})"
        if slo.breaches:
            detail += f", {slo.breaches} fora do prazo"
    elif slo.key == "csat":
        detail = ptbr.decimal(slo.actual)
    else:
        detail = ptbr.percent(slo.actual)
    return f"{mark} {label}: {detail}"


def insights(report: Report) -> list[str]:
    """Plain-language highlights: categories on the rise and each missed SLO."""
    lines = []
    for category, before, now in report.rising:
        growth = f" (+{ptbr.percent((now - before) / before)})" if before else " (nova no período)"
        name = labels.of(labels.CATEGORY, category)
        lines.append(f"📈 *{name}* subiu de {before} para {ptbr.count(now, 'ticket')}{growth}.")
    for slo in report.slos:
        if slo.met is False:
            lines.append(_breach(slo))
    if not lines:
        lines.append("✅ Nenhuma categoria em alta e nenhum SLO descumprido.")
    return lines


def _breach(slo: Slo) -> str:
    actual = slo.actual or 0.0
    match slo.key:
        case "first_response":
            waited = ptbr.count(slo.breaches, "ticket esperou", "tickets esperaram")
            return f"⚠️ {waited} demais pela 1ª resposta de uma pessoa."
        case "resolution":
            late = ptbr.count(slo.breaches, "ticket passou", "tickets passaram")
            return f"⚠️ {late} do prazo de resolução."
        case "csat":
            return f"⚠️ CSAT de {ptbr.decimal(actual)} ficou abaixo da meta de {ptbr.decimal(slo.target)}."
        case "fcr":
            return (
                f"⚠️ Só {ptbr.percent(actual)} resolvidos no 1º contato"
                f" (meta acima de {ptbr.percent(slo.target)})."
            )
        case _:
            return f"⚠️ Escalonamento de {ptbr.percent(actual)} acima do limite de {ptbr.percent(slo.target)}."


def _counts(counts: dict[str, int], table: dict[str, str]) -> str:
    return " · ".join(f"{labels.of(table, name)} {n}" for name, n in counts.items()) or "—"


def summary(report: Report, period: str, zone_moments: tuple[datetime, datetime]) -> str:
    """The report as one Slack message (mrkdwn); ``zone_moments`` are start and end in the desk's zone."""
    start, end = zone_moments
    lines = [
        f"📊 *Relatório {PERIOD_TITLES.get(period, period)}* — {ptbr.day_time(start)} a {ptbr.day_time(end)}",
        f"*Volume:* {ptbr.count(report.total, 'ticket')} · {_counts(report.by_channel, labels.CHANNEL)}",
        f"*Por categoria:* {_counts(report.by_category, labels.CATEGORY)}",
        "",
        "*Tempos* (média · mediana · p90, e quantos)",
        f"• 1ª resposta humana: {timing(report.first_response)}",
        f"   em horas úteis: {timing(report.first_response_business)}",
        f"• 1ª resposta da IA: {timing(report.ai_first_response)}",
        f"• Resolução: {timing(report.resolution)}",
        f"   em horas úteis: {timing(report.resolution_business)}",
        "",
        "*Qualidade*",
        f"• Resolução no 1º contato: {rate(report.fcr)}",
        f"• Escalonamento: {rate(report.escalation)}",
        f"• CSAT: {_csat(report)}",
        f"• NPS: {_nps(report)}",
        "",
        "*IA*",
    ]
    if not report.ai_log:
        lines.append("• O registro de chamadas da IA ainda não existe: custos e modelos aparecem zerados.")
    lines += [
        f"• Resoluções pela IA (verificadas): {rate(report.ai_resolution)}"
        + (f" · {report.ai_resolution_pending} aguardando 72 h" if report.ai_resolution_pending else ""),
        f"• Transferência para humano: {rate(report.handoff)}",
        f"• Precisão da IA: {rate(report.ai_accuracy)}",
        f"• Custo da IA: {money(report.ai_cost_usd)}"
        + (
            f" ({money(report.ai_cost_per_ticket)} por ticket)"
            if report.ai_cost_per_ticket is not None
            else ""
        ),
    ]
    for m in report.models:
        latency = f"{ptbr.decimal(m.latency_ms / 1000)} s" if m.latency_ms is not None else "—"
        lines.append(
            f"   {m.model}: {ptbr.percent(m.share)} das chamadas · {latency} · {money(m.cost_usd)}"
            f" · escalou {rate(m.escalation)}"
        )
    lines += [
        "",
        f"*Custo humano:* {ptbr.count(report.human_replies, 'resposta')}"
        f" ≈ {ptbr.decimal(report.human_hours)} h · "
        f"{money(report.human_cost_usd)}"
        + (
            f" ({money(report.human_cost_per_ticket)} por ticket)"
            if report.human_cost_per_ticket is not None
            else ""
        ),
        "",
        "*SLOs*",
        *(slo_line(slo) for slo in report.slos),
        "",
        "*Destaques*",
        *insights(report),
    ]
    return "\n".join(lines)


def _csat(report: Report) -> str:
    if report.csat.mean is None:
        return "sem avaliações"
    by_channel = ", ".join(
        f"{labels.of(labels.CHANNEL, ch)} {ptbr.decimal(v)}" for ch, v in report.csat_by_channel.items()
    )
    ratings = ptbr.count(report.csat.count, "avaliação", "avaliações")
    return f"{ptbr.decimal(report.csat.mean)} ({ratings}; {by_channel})"


def _nps(report: Report) -> str:
    if report.nps is None:
        return "sem respostas"
    return f"{report.nps:+.0f} ({ptbr.count(report.nps_answers, 'resposta')})"
