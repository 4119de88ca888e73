"""The reply step's own Prometheus series (shown on the API's `/metrics` with the others)."""

from prometheus_client import Counter

ESCALATIONS_OVERDUE = Counter("mancrel_escalations_rerouted_total",  # not _overdue: that is the gauge of open ones (core/product_metrics.py)
                              "Escalations whose task passed its due time undone and were re-routed")
