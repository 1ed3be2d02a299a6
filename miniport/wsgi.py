import os

import django

from miniport.web import bench_ceiling

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miniport.settings")
# As django.core.wsgi.get_wsgi_application, with the handler that sends the APIs' paths
# down their lean chain from the WSGI call on (miniport.web.lean, issue 14 item 1).
django.setup(set_prefix=False)

from django.urls import get_resolver  # noqa: E402

from miniport.web.lean import LeanWSGIHandler  # noqa: E402 - needs the apps loaded

application: bench_ceiling.WSGIApp = LeanWSGIHandler()
# The URL configuration (every view module, and the JSON routes' table the lean path
# looks calls up in) loads here, in the server's parent process, instead of on each
# worker's first request: the workers fork with it in memory.
get_resolver().url_patterns  # noqa: B018 - loading it is the point
if bench_ceiling.enabled():
    # `make bench` only: the bare WSGI ceiling beside the real server (issue 14 item 1).
    application = bench_ceiling.with_ceiling(application)
