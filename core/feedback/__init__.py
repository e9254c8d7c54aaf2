"""What customers and reviewers say about the service: CSAT and NPS surveys, QA sampling."""
