"""Cycles of inquiry: a unit's plan to move a satisfaction result, measured from the surveys.

Pages: the unit's cycles, one cycle with its plan actions and check-ins, the executive overview,
"you said, we did", and the cabinet packet (per unit and for the district).
"""
