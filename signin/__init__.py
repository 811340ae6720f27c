"""Sign-in: single sign-on and passwords (django-allauth), two-factor sign-in, the session
policy and the sign-in log."""
