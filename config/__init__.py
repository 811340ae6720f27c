"""The project package: settings (base, local, test, production), URLs, WSGI, the home and
health pages, offline support and observability."""
