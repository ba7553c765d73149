from . import clock
from .navigation import menu_for


def navigation(request):
    # Context processors run again for every template rendered with the request (a table's
    # own template, an include with a RequestContext): the menu asks each page's permission
    # check, so it is built once per request.
    menu = getattr(request, "_shouwei_menu", None)
    if menu is None:
        menu = request._shouwei_menu = menu_for(request)
    return {"nav_menu": menu}


def notifications(request):
    """The bell's unread count, computed only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:
        from .models import Notification

        return Notification.objects.filter(recipient=user, read_at__isnull=True).count()

    return {"unread_notifications": unread}


def demo_clock(request):
    """The header's 演示日期 badge: the date business "today" is set to, when a demo set one
    (a callable, so that a page without the header does not ask)."""
    return {"demo_date": clock.demo_date}
