"""The WSGI application for ``bench_api.py``, with every URL and API module imported before
gunicorn forks its workers (``--preload``), so no measured request pays for first imports."""

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 -- importing the URLconf imports the views and the API
