"""Merchants (PAY-1): a certified mini program's application for payment, its review,
and the merchant it opens (mch_id, API key shown once and rotatable)."""
