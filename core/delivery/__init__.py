"""Getting effects out: the outbox runner (Slack posts, customer sends) and delivery receipts."""
