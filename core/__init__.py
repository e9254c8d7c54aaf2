"""The support desk's domain: tickets, customers, messages and the use cases that change them.

Nothing here imports an SDK, an HTTP library, SQL or the other top-level packages:
platform adapters (``handlers``), storage (``storage``) and wiring (``bot``) plug in
through the protocols in :mod:`core.ports`.
"""
