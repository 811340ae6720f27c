"""Satisfaction: principals rate the units that serve them (surveys, request ratings, imports).

Pages: the survey, unit results and trends, the heat map, response rates, my answers; only
aggregates over the anonymity threshold (`aggregates`, `summaries`) leave this half.
"""
