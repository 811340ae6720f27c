"""Satisfaction and cycles of inquiry, one app (label `cycles`) in two halves: `satisfaction/`
and `inquiry/`; here only what serves both (models gathered, rules, home, demo, admin, commands)."""
