"""The API app with two process-level changes outside the catalogue's code, for `bench.py
ack --tuned`: what they would buy, measured, before anyone changes mancrel/main.py.

1. The webhook router is matched first. FastAPI tries routes in order, and main.py
   includes `/webhook/catalog` after every `/api/v1` router: each delivery is matched
   against some 150 route patterns before its own (about 45% of the API process's time
   per delivery in a py-spy profile).
2. `gc.freeze()` once the app is built: the start-up objects (hundreds of thousands) move
   out of the collector's reach, so a full collection takes ~7 ms instead of ~100 ms;
   under load one ran every 2-3 s and set the p99.
"""

import gc

from mancrel.main import create_app as create_mancrel_app


def create_app():
    app = create_mancrel_app()
    routes = app.router.routes
    webhooks = next(r for r in routes if getattr(getattr(r, "original_router", None), "prefix", "") == "/webhook/catalog")
    routes.remove(webhooks)
    routes.insert(0, webhooks)
    gc.freeze()
    return app
