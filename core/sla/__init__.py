"""SLA clocks: first-response and resolution timers per priority, paused outside business hours."""
