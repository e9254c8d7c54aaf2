"""Who the customers are: identity across channels, records, imports, files, opt-out."""
