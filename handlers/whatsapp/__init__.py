"""WhatsApp Cloud API: the webhook, parsing its payloads, and sending to customers through pywa."""
