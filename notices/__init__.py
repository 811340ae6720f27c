"""Notices: the outbox of every email, recorded with the change that caused it; the background
task sends each once, retries with backoff and shows failures to admins."""
