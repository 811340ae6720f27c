"""The app's permission rules, gathered so django-rules' autodiscovery registers them all.

Who sees which survey results: `cycles.satisfaction.rules`; who sees and runs cycles of
inquiry: `cycles.inquiry.rules`. Permission names keep the `cycles.` prefix.
"""

# Importing the halves registers their permissions.
import cycles.inquiry.rules
import cycles.satisfaction.rules  # noqa: F401
