"""Clusters: a feeder pattern's page (schools, coaching, services, response times, ratings)
and lead partners' performance contracts, whose measures are read from the data, never typed."""
