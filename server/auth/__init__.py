"""People and access: passwords, sessions, API tokens, roles, login throttling.

`guard.py` wires it into the app: every /api route declares what it needs (`@requires` or
`@public`, in `permissions.py`), and each request is authenticated before it reaches one.
"""
