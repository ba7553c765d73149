import os

from django.core.wsgi import get_wsgi_application

from shouwei.core.stack import with_headroom

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shouwei.settings")
# Each request from a fresh stack chunk (shouwei.core.stack says why).
application = with_headroom(get_wsgi_application())
