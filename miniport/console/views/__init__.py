"""Console pages: thin views over the accounts and identities services."""
