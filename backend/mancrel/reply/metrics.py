"""The reply step's own Prometheus series (shown on the API's `/metrics` with the others)."""

from prometheus_client import Counter

# Not "_overdue": that name is the gauge of escalations overdue now (core/product_metrics.py).
ESCALATIONS_OVERDUE = Counter("mancrel_escalations_rerouted_total",
                              "Escalations whose task passed its due time undone and were re-routed")
