"""Read models outside the unit of work: queue, reports, metrics, personal data."""
