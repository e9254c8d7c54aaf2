"""LGPD requests: a customer's data shown, exported or erased."""
