"""`atende demo`: the desk with emulated Slack and WhatsApp in one page."""
