"""Mancrel: the CRM for product sellers that never lets a customer go unanswered."""

# Before any module creates a metric: multiprocess metric files named by host and pid.
import mancrel.core.metric_files  # noqa: F401

__version__ = "0.1.0"
