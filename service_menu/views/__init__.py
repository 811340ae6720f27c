"""Service menus' pages, one module per screen family: menus, requests, measures."""
