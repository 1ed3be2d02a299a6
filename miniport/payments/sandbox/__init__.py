"""The WeChat Pay v2 sandbox: signing, the XML wire, orders, refunds, the ledger and the
daily bill (../shared reference: wechat-pay-v2.md)."""
