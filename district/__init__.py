"""The org chart every app shares (people, schools, clusters, units, terms, roles, rosters), and
the machinery every app's views use: access helpers, listings, exports, PDFs, `answers`."""
