"""The broadcast engine: one message to many customers, within WhatsApp's rules, resumable after a crash.

Public API for features that send to many customers (crises, proactive journeys):

- :class:`core.broadcast.service.Broadcasts` ``.enqueue(kind, key, customer_ids, text, template)``
  returns the broadcast id (the same id again for the same ``key``); ``.enqueue_within(tx, ...)``
  does it inside a unit of work already open. ``pause``, ``resume``, ``cancel``, ``tally`` and
  ``preview`` are on the same object.
- The broadcast worker (``bot/workers/broadcast.py``) sends; wake it after enqueueing
  (``Broadcasts`` does, through its ``on_commit``).
"""
