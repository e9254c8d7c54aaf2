"""The test suite: the real app driven over HTTP between fake platforms, read as the story of what users see."""
