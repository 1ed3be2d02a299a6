"""Masking of ID numbers and phones wherever a surface shows them."""


def mask(value, head: int = 3, tail: int = 4) -> str:
    """Keep `head` leading and `tail` trailing characters; no page needs the whole ID
    number or phone on screen."""
    text = str(value or "")
    if not text:
        return ""
    if len(text) <= head + tail:
        return "*" * len(text)
    return text[:head] + "*" * (len(text) - head - tail) + text[len(text) - tail :]
