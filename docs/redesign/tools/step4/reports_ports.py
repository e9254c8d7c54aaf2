SOURCE = "core/reports/desk.py"
HOMES = {"core.reports.ports": ["ReportSource", "ReportBoard"]}
DOCS = {"core.reports.ports": "Where reports come from (storage) and where they are shown (the supervisors' channel)."}
