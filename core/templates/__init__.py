"""Response templates (the playbook's scripts) and filling their fields."""
