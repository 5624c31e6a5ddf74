"""The WSGI application for ``bench_api.py``, with every URL and API module imported before
gunicorn forks its workers (``--preload``), so no measured request pays for first imports."""

from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.urls import get_resolver

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 -- importing the URLconf imports the views and the API
# Workers keep their database connection between requests: none may be inherited through the
# fork, or two processes would share one.
connections.close_all()
