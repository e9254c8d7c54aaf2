"""The support desk's domain: tickets, customers, messages and the use cases that change them.

One package per capability (``core/<capability>/``): ``model.py`` holds its values, ``ports.py``
the protocols it needs from outside, ``texts.py`` its pt-BR wording, ``effects.py`` what it asks
the outbox to do, and the use cases beside them; ``core/common`` is what every capability shares.
Nothing here imports an SDK, an HTTP library, SQL or the other top-level packages: platform
adapters (``handlers``), storage (``storage``) and wiring (``bot``) plug in through the ports;
:mod:`core.unit_of_work` composes the storage ports into one transaction.
"""
