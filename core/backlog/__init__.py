"""Feature requests: ideas counted across tickets and the customers told when one ships."""
