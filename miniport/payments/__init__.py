"""Certification (CER-1, CER-2), merchants (PAY-1) and the WeChat Pay v2 sandbox."""
