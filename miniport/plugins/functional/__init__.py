"""Plugin functional pages (FP-1..FP-12): login and payment through the owner mini
program."""
