"""Customer journeys: onboarding nudges and announcements sent on a schedule, and their runs."""
