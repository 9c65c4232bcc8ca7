"""Every Redis key Flowlane writes. Change a key's shape here and nowhere else."""

PREFIX = "flowlane"

#: The RQ queue that carries runs (RQ adds its own `rq:` keys around it).
RUNS_QUEUE = "flowlane-runs"
#: Flask-SocketIO's pub/sub channel between workers and web servers.
SOCKETIO_CHANNEL = f"{PREFIX}:socketio"


def run_cancel(run_id: int) -> str:
    """Set when a run is cancelled, so its worker notices between (and inside) steps."""
    return f"{PREFIX}:run:{run_id}:cancel"


def run_response(run_id: int) -> str:
    """A list the worker pushes a webhook response onto; the web request waits on it."""
    return f"{PREFIX}:run:{run_id}:response"


def scheduler_leader() -> str:
    """Held by the one scheduler that fires schedules; others stand by."""
    return f"{PREFIX}:scheduler:leader"


def sweeper_lock() -> str:
    return f"{PREFIX}:sweeper:lock"


def ghl_limiter(location_id: str) -> str:
    return f"{PREFIX}:ghl:limit:{location_id}"


def ghl_refresh_lock(credential_id: int) -> str:
    return f"{PREFIX}:ghl:refresh:{credential_id}"


def ghl_options_cache(credential_id: int, source: str, argument: str = "") -> str:
    return f"{PREFIX}:ghl:options:{credential_id}:{source}:{argument or '-'}"


def session(session_id: str) -> str:
    """A sign-in session: the user id, expiring when idle."""
    return f"{PREFIX}:session:{session_id}"


def user_sessions(user_id: int) -> str:
    """The set of a user's session ids, so all of them can be ended at once."""
    return f"{PREFIX}:user:{user_id}:sessions"


def login_failures(kind: str, value: str) -> str:
    """Failed sign-ins per email or per address, within the throttling window."""
    return f"{PREFIX}:login-failures:{kind}:{value}"


def ghl_limiter_meta(bucket: str) -> str:
    """A GHL rate bucket's learned limits, daily count and 429 back-off (`bucket` is
    "<app>:<location>", the unit HighLevel limits)."""
    return f"{PREFIX}:ghl:limit-meta:{bucket}"


def ghl_oauth_state(state: str) -> str:
    """The connection an OAuth `state` was issued for; used once, expires in minutes."""
    return f"{PREFIX}:ghl:oauth-state:{state}"


def ghl_event_change(location_id: str, change: str, workflow_id: int) -> str:
    """Set when a workflow got a run for one opportunity change, so GHL's second event for
    the same change (update + stage) does not start another."""
    return f"{PREFIX}:ghl:change:{location_id}:{change}:{workflow_id}"


def node_state_lock(workflow_id: int, node_id: str, key: str) -> str:
    """Held while one run reads and rewrites a node's state (a round-robin turn)."""
    return f"{PREFIX}:state-lock:{workflow_id}:{node_id}:{key}"
