SOURCE = "core/reports/metrics.py"
HOMES = {"core.reports.model": ["TicketRow", "CsatRow", "NpsRow", "ModelRow", "ReportInput", "Stats", "Rate", "Slo", "ModelUsage", "CostPolicy", "Report", "Tally"]}
DOCS = {"core.reports.model": "A report's input rows, its counted tally and the figures it shows (values only)."}
