"""An ILD's planned visits as an iCalendar feed (RFC 5545, via the icalendar library)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from coaching.models import Visit
from district.models import User


def visits_ical(*, user: User, since: datetime.date, site_url: str) -> bytes:
    """Planned and done visits from ``since`` on. Private notes never leave the app."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Schoolward//Coaching visits//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Schoolward visits — {user.full_name}")
    visits = (
        Visit.objects.filter(ild=user, date__gte=since)
        .exclude(status=Visit.Status.CANCELLED)
        .select_related("school__principal")
        .order_by("date")
    )
    for visit in visits:
        event = Event()
        event.add("uid", f"visit-{visit.pk}@schoolward")
        event.add("summary", f"{'Joint' if visit.principal_present else 'Solo'} visit: {visit.school.name}")
        if visit.start_time:
            start = datetime.datetime.combine(visit.date, visit.start_time, tzinfo=zone)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(minutes=visit.duration_minutes or 60))
        else:
            event.add("dtstart", visit.date)
            event.add("dtend", visit.date + datetime.timedelta(days=1))
        event.add("dtstamp", visit.updated_at)
        event.add("url", f"{site_url}{reverse('coaching:visit_detail', args=[visit.pk])}")
        principal = visit.school.principal.full_name if visit.school.principal else "no principal"
        event.add("description", f"With {principal}. Status: {visit.get_status_display()}.")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
