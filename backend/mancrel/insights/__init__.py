"""Insights: what the CRM's own data says about each customer.

Recommendations and the contact interest profile (`profile*`, `recommend*`), lead scores, churn
alerts, opportunities and the "today" digest. Every figure here is computed from Mancrel's own
rows (deals and their line items, messages, activities) and comes with reasons a rep can read.
"""
