"""Satisfaction and cycles of inquiry: one Django app (label `cycles`) in two halves.

`satisfaction/` holds surveys, answers, ratings and their anonymous aggregates; `inquiry/` holds
cycles of inquiry, their plans and the cabinet packet. Shared: home, demo, admin, commands.
"""
