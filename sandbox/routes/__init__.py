"""One module per resource. API modules expose `ops` (handlers keyed by spec method and path);
the consent page and the admin controls are Flask blueprints (`bp`)."""
