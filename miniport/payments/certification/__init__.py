"""Certification (CER-1, CER-2): the application, its documents, the 300 CNY fee, the
review on the desk, the one-year term, reminders and renewal."""
