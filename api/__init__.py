"""The read API under /api/v1/ (django-ninja), asking the same access and anonymity rules as
the pages, and the personal API tokens people manage for it."""
