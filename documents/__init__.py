"""Documents: long PDFs built by the task worker and kept until their inputs change; each app
registers its kinds in its own `documents.py` (cycles, service_menu), this app serves them."""
