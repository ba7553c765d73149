"""One router module per app; each exposes ``router`` and is listed in ``api.ROUTERS``."""
