"""Cycles of inquiry: a unit's plan to move a satisfaction result, with plan actions, check-ins,
the overview, "you said, we did" and the cabinet packet; results read from the surveys."""
