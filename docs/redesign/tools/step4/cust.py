SOURCE = "core/customers/records.py"
HOMES = {"core.customers.model": ["CustomerRecord"]}
