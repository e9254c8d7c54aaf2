"""Crises (the playbook's ``SupportEmergencyResponse``): declare one, keep everyone told, close it."""
