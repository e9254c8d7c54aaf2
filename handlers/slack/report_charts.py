"""Draws a report's charts as PNG files (matplotlib, Agg backend, no display needed).

Three charts: daily volume by category (stacked bars), the daily median first response
against the 2-hour target, and the daily CSAT average. Figures are built with the
object-oriented API (no pyplot state), so drawing is safe in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import matplotlib

matplotlib.use("Agg")

from matplotlib.axes import Axes  # noqa: E402  (after choosing the backend)
from matplotlib.figure import Figure  # noqa: E402

from core.common import labels
from core.reports.metrics import HOUR, RESPONSE_TARGET_OPEN
from core.reports.model import Report
from core.reports.texts import CHART_AXES, CHART_TITLES
from core.tickets.model import FileData

PNG = "image/png"


def charts(report: Report) -> list[FileData]:
    """The report's charts that have data, as PNG files named for what they show."""
    drawn = []
    for name, draw, has_data in (
        ("volume", _volume, bool(report.daily_volume)),
        ("first_response", _first_response, bool(report.daily_first_response)),
        ("csat", _csat, bool(report.daily_csat)),
    ):
        if has_data:
            drawn.append(_png(name, report, draw))
    return drawn


def _png(name: str, report: Report, draw: Callable[[Figure, Report], None]) -> FileData:
    figure = Figure(figsize=(8, 4), dpi=100)
    draw(figure, report)
    figure.suptitle(CHART_TITLES[name])
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return FileData(data=buffer.getvalue(), mime_type=PNG, filename=f"{name}.png")


def _labels(days: list[date]) -> list[str]:
    return [day.strftime("%d/%m") for day in days]


def _volume(figure: Figure, report: Report) -> None:
    axes = figure.add_subplot()
    days = list(report.daily_volume)
    bottom = [0] * len(days)
    for category in report.by_category:
        counts = [report.daily_volume[day].get(category, 0) for day in days]
        axes.bar(_labels(days), counts, bottom=bottom, label=labels.of(labels.CATEGORY, category))
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_xlabel(CHART_AXES["day"])
    axes.set_ylabel(CHART_AXES["tickets"])
    axes.legend(fontsize="small")


def _first_response(figure: Figure, report: Report) -> None:
    axes = _daily_line(figure, report.daily_first_response, CHART_AXES["hours"], "tab:blue")
    axes.axhline(RESPONSE_TARGET_OPEN / HOUR, color="red", linestyle="--", label=CHART_AXES["sla"])
    axes.legend(fontsize="small")


def _csat(figure: Figure, report: Report) -> None:
    axes = _daily_line(figure, report.daily_csat, CHART_AXES["csat"], "green")
    axes.set_ylim(1, 5)


def _daily_line(figure: Figure, series: dict[date, float], ylabel: str, color: str) -> Axes:
    """One value per day as a line with markers."""
    axes = figure.add_subplot()
    axes.plot(_labels(list(series)), list(series.values()), marker="o", color=color)
    axes.set_xlabel(CHART_AXES["day"])
    axes.set_ylabel(ylabel)
    return axes
