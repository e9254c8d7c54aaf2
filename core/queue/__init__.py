"""The agents' queue: what waits, in which order, and the App Home drawn from it."""
