"""Platform edges: translate a WhatsApp, Slack (or, later, Telegram) event into one core call,
and core outcomes into SDK calls. No business decision lives here.
"""
