"""Mancrel: the CRM for product sellers that never lets a customer go unanswered."""

__version__ = "0.1.0"
