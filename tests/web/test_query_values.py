"""The JSON routes read the query string with the stdlib instead of Django's QueryDict
(issue 14 item 1): every query gives the same names and values as
`{key: request.GET.get(key) for key in request.GET}`, too many fields are still refused
with 45002, and the string is parsed once per request."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import WSGIRequest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from miniport.web import api

QUERIES = [
    "",
    "a=1",
    "a=1&b=2&a=3",  # repeated: the last value, the name in its first place
    "b=&a",  # blanks kept, a name without "=" is blank
    "a=x+y&b=%20z%2B",
    "a=%ff%fe&b=%e4%b8%ad",  # a broken UTF-8 escape and a good one
    "a=1;b=2",  # not a separator since Python 3.10 (nor for Django)
    "&&a=1&&",
    "%00=nul&k=%00",
    "a=%F0%9F%98%80&%E5%90%8D=%E5%80%BC",
    "=lonely&a==b",
]
# What a WSGI server puts in the environ for raw bytes past ASCII: ISO-8859-1 text.
RAW_BYTES = [
    "名=值".encode().decode("iso-8859-1"),  # UTF-8 bytes sent unescaped
    b"a=\xe9t\xe9".decode("iso-8859-1"),  # Latin-1 bytes: not UTF-8 at all
]


def wsgi_request(query: str) -> WSGIRequest:
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/sns/jscode2session",
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
    )


def django_values(query: str) -> list[tuple[str, str]]:
    request = wsgi_request(query)
    return [(key, request.GET.get(key)) for key in request.GET]


@pytest.mark.parametrize("query", QUERIES + RAW_BYTES)
def test_the_query_values_are_the_names_and_values_django_gives_in_the_same_order(query):
    assert list(api.query_values(wsgi_request(query)).items()) == django_values(query)


def test_a_query_past_the_field_cap_is_refused_as_django_refuses_it(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    query = "a=1&b=2&c=3&d=4"
    with pytest.raises(TooManyFieldsSent):
        wsgi_request(query).GET  # noqa: B018 (Django's own refusal, for comparison)
    with pytest.raises(TooManyFieldsSent):
        api.query_values(wsgi_request(query))
    assert api.query_values(wsgi_request("a=1&b=2&c=3")) == {"a": "1", "b": "2", "c": "3"}


def test_the_query_is_parsed_once_per_request_and_not_through_request_get():
    request = wsgi_request("appid=wx1&secret=s")
    first = api.query_values(request)
    assert api.query_values(request) is first
    assert "GET" not in request.__dict__  # Django's QueryDict was never built


def test_a_request_without_a_wsgi_environ_falls_back_to_djangos_parse():
    from django.http import HttpRequest, QueryDict

    request = HttpRequest()
    request.GET = QueryDict("a=1&a=2&b=")
    assert api.query_values(request) == {"a": "2", "b": ""}


# Plain queries (no escape, no "+") take a split of their own: names, values, blanks,
# stray separators and "=" anywhere must still come out as Django's parse gives them.
PLAIN_TEXT = st.text(alphabet="ab=&;._-~!$'()*,:@/?09", max_size=40)


@given(query=PLAIN_TEXT)
@hypothesis_settings(max_examples=300, deadline=None)
def test_a_plain_query_is_split_as_djangos_parse_splits_it(query):
    assert list(api.query_values(wsgi_request(query)).items()) == django_values(query)


@pytest.mark.parametrize("query", ["a&b&c&d", "a=1&&&", "&&&&"])
def test_a_plain_query_past_the_field_cap_is_refused_as_django_refuses_it(query, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    with pytest.raises(TooManyFieldsSent):
        wsgi_request(query).GET  # noqa: B018 (Django's own refusal, for comparison)
    with pytest.raises(TooManyFieldsSent):
        api.query_values(wsgi_request(query))
