"""Coaching: ILD visits with their next steps, and principals' growth goals; pages for the
ILD's dashboard and caseload, visits (offline form, PDF), goals, growth reports, the calendar."""
