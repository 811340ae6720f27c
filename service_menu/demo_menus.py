"""The demo units' menus: realistic services across tiers, some brokered from partners."""

AREAS = [
    "Elementary math", "Literacy", "Special education", "Talent and HR", "Budget and operations",
    "Facilities", "Nutrition", "Data and assessment", "School leadership",
]  # fmt: skip

TIERS = [
    ("Essential", "Every school receives it; no request needed.", False, False),
    ("Targeted", "For schools whose improvement strategy calls for it.", True, False),
    ("Intensive", "Our most intensive support; the ILD endorses the request.", True, True),
]

# unit name → services: (title, summary, area, tier, dosage, capacity, partner, cost, hours saved)
MENUS: dict[str, list[tuple[str, str, str, str, str, int | None, str, int | None, int | None]]] = {
    "Instructional Services": [
        ("Curriculum launch kit", "Unit plans, pacing and assessments for the adopted math curriculum.", "Elementary math", "Essential", "Online, all year", None, "", None, 10),
        ("Grade-team planning coach", "A math coach plans with one grade team each week.", "Elementary math", "Targeted", "6 coaching days per semester", 12, "", 3200, 15),
        ("Literacy lab classrooms", "Teachers observe and debrief model lessons in a lab classroom.", "Literacy", "Targeted", "4 half-day labs per term", 10, "", 2400, 6),
        ("Intensive math turnaround", "Embedded coaching and data cycles for a whole school's math program.", "Elementary math", "Intensive", "2 days a week for a semester", 4, "", 18000, 40),
        ("Reading intervention partner", "A university reading clinic trains and supports intervention teachers.", "Literacy", "Intensive", "10 sessions plus site visits", 3, "Lakeview University Reading Clinic", 22000, 30),
        ("Instructional rounds facilitation", "We facilitate instructional rounds with your leadership team.", "School leadership", "Targeted", "2 rounds per term", 8, "", None, 8),
    ],
    "Human Resources": [
        ("Hiring season calendar", "Posting, screening and offer timelines for every school.", "Talent and HR", "Essential", "Published each January", None, "", None, 12),
        ("Priority hiring support", "An HR partner runs screening and interviews for hard-to-fill roles.", "Talent and HR", "Targeted", "Up to 5 vacancies per term", 15, "", None, 25),
        ("New-teacher induction cohort", "Monthly induction for first-year teachers with a mentor match.", "Talent and HR", "Targeted", "Monthly, all year", 20, "", 900, 10),
        ("Teacher residency placement", "A residency partner places and coaches teacher residents.", "Talent and HR", "Intensive", "2 residents for a full year", 6, "City Teacher Residency", 15000, 20),
    ],
    "Facilities": [
        ("Work-order response", "Emergency repairs within a day, routine within two weeks.", "Facilities", "Essential", "On request, all year", None, "", None, 5),
        ("Learning-space refresh", "Reconfigure classrooms for small-group instruction.", "Facilities", "Targeted", "One summer project", 8, "", 12000, 4),
        ("Outdoor classroom build", "A partner builds an outdoor classroom with the school community.", "Facilities", "Intensive", "One term", 2, "Green Schoolyards Alliance", 30000, 2),
    ],
    "Nutrition Services": [
        ("Universal breakfast", "Breakfast in the classroom for every student.", "Nutrition", "Essential", "Daily", None, "", None, 3),
        ("Scratch-cooking kitchen", "Train kitchen staff and refit the kitchen for scratch cooking.", "Nutrition", "Targeted", "One term", 6, "", 8000, 2),
    ],
    "Operations": [
        ("Bell-schedule redesign", "Redesign the schedule to protect collaborative planning time.", "Budget and operations", "Targeted", "3 working sessions", 10, "", None, 20),
        ("Operations manager sharing", "Share an operations manager across two small schools.", "Budget and operations", "Intensive", "Half-time for a year", 4, "", 35000, 120),
    ],
    "Special Education": [
        ("IEP compliance check", "Twice-yearly review of IEP timelines with the school's case managers.", "Special education", "Essential", "Twice a year", None, "", None, 6),
        ("Inclusive practice coaching", "Co-teaching coaching for general and special educators.", "Special education", "Targeted", "6 coaching days per semester", 10, "", 2800, 8),
        ("Behavior support partner", "A clinical partner builds a school-wide behavior support system.", "Special education", "Intensive", "Weekly for a semester", 3, "Harbor Behavioral Health", 20000, 25),
    ],
    "Budget and Finance": [
        ("Budget build workshop", "Build next year's school budget around the improvement plan.", "Budget and operations", "Essential", "One session each spring", None, "", None, 8),
        ("Grant-writing partner", "A partner writes one grant application with the school.", "Budget and operations", "Targeted", "One application", 6, "Community Grants Collaborative", 1500, 30),
    ],
    "Data and Assessment": [
        ("Interim assessment reports", "Student-level interim results within a week of testing.", "Data and assessment", "Essential", "Three times a year", None, "", None, 10),
        ("Data-team coaching", "Coach the school's data team through inquiry cycles.", "Data and assessment", "Targeted", "Monthly, all year", 12, "", None, 12),
    ],
}  # fmt: skip
# Central units without a menu of their own above (a city's many smaller offices).
GENERIC_CENTRAL_MENU = [
    ("Guidance and office hours", "Answers within a day from the unit's specialists, and weekly office hours.", "School leadership", "Essential", "Weekly office hours", None, "", None, 4),
    ("School-team working session", "A working session with the school's team on what the unit offers and how it fits the plan.", "School leadership", "Targeted", "2 sessions per term", 15, "", 800, 6),
    ("Embedded specialist", "A specialist works in the school one day a week for a term.", "School leadership", "Intensive", "1 day a week for a term", 4, "", 9000, 20),
]  # fmt: skip
GENERIC_PARTNER_MENU = [
    ("Cluster principal network", "Monthly learning walks and problems of practice across the cluster.", "School leadership", "Essential", "Monthly", None, "", None, 4),
    ("Cluster instructional coaching", "Partner coaches support teacher teams in cluster schools.", "Literacy", "Targeted", "4 days per term", 6, "", 2000, 6),
]  # fmt: skip

REASONS = [
    "Our coaches are fully committed this term.",
    "This service is designed for K-8 schools; your needs fit a different service better.",
    "The request arrived after the term's schedule closed.",
]
