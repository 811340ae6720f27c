"""Satisfaction: principals rate the units that serve them (surveys, request ratings, imports);
only aggregates over the anonymity threshold leave it (`aggregates`, `summaries`)."""
