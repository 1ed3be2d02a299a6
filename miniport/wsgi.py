import os

from django.core.wsgi import get_wsgi_application

from miniport.web import bench_ceiling

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miniport.settings")
application: bench_ceiling.WSGIApp = get_wsgi_application()
if bench_ceiling.enabled():
    # `make bench` only: the bare WSGI ceiling beside the real server (issue 14 item 1).
    application = bench_ceiling.with_ceiling(application)
