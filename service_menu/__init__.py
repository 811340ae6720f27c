"""Service menus: each unit's tiered, versioned menu of services, and schools' requests for
them; pages for the catalog, a unit's menu and drafts, requests and the unit's workspace."""
