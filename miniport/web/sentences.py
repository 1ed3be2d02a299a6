"""Template filter `sentence`: a refusal's English text begins in lower case, because it
is also the wire's errmsg ("this field is required"); on a page it begins a sentence.

Only a first word of plain lower-case letters is capitalised: a message that begins with
a file name, a key or an identifier ("app.json ...", "ext_json ...") is left as written.
Registered as the template library "sentences" (settings.TEMPLATES)."""

from __future__ import annotations

import re

from django import template

register = template.Library()

_PLAIN_FIRST_WORD = re.compile(r"[a-z]+(?=[\s,:;]|\Z)")


@register.filter(is_safe=True)
def sentence(text: object) -> str:
    words = str(text)
    if _PLAIN_FIRST_WORD.match(words):
        return words[0].upper() + words[1:]
    return words
