"""Coaching's pages, one module per screen family: dashboards, visits, goals."""
