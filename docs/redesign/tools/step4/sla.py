SOURCE = "core/sla/clock.py"
HOMES = {"core.sla.model": ["TimerKind", "TimerState", "Activity", "SlaPolicy", "Timer", "DueTimer"]}
DOCS = {"core.sla.model": "SLA targets and the stored clocks of a ticket (values only)."}
