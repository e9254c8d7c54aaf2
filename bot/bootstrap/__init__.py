"""Building the running desk from settings: the app, its features' wiring and start-up checks."""
