"""Names for the ids a pipeline dashboard groups by: owners (HighLevel users) and pipelines.

The synced table keeps HighLevel's ids (`owner_id`, `pipeline_id`); people read names. They
come from the HighLevel connections' user and pipeline lists, which the editor's dropdowns
cache briefly too. An id no connection knows keeps showing as the id; a connection that
cannot answer is skipped, so a dashboard never fails for want of a name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from server.db import Credential

log = logging.getLogger("flowlane.dashboards")


def lookup(svc: Any, owner_ids: Iterable[str], pipeline_ids: Iterable[str]) -> dict[str, Any]:
    """{"owners": {id: name}, "pipelines": {id: name}} for the ids any connection knows, and
    "stage_order": {stage name: its place in those pipelines}, so a funnel reads in order."""
    from nodes.ghl import options
    from nodes.ghl.auth import KINDS
    from nodes.ghl.host import host_for

    wanted_owners = {i for i in owner_ids if i and i != "(unassigned)"}
    wanted_pipelines = {i for i in pipeline_ids if i}
    names: dict[str, dict[str, Any]] = {"owners": {}, "pipelines": {}, "stage_order": {}}
    if not wanted_owners and not wanted_pipelines:
        return names
    with svc.db.session() as session:
        connections = list(session.scalars(
            select(Credential.name).where(Credential.kind.in_(KINDS)).order_by(Credential.id)))
    host = host_for(svc)
    for name in connections:
        if wanted_owners <= names["owners"].keys() and \
                wanted_pipelines <= names["pipelines"].keys():
            break
        try:
            connection = host.connection(name)
            if wanted_owners - names["owners"].keys():
                for user in options.users_raw(host, connection):
                    if isinstance(user, dict) and str(user.get("id")) in wanted_owners:
                        names["owners"][str(user["id"])] = options.user_name(user)
            if wanted_pipelines - names["pipelines"].keys():
                for pipeline in options.pipelines_raw(host, connection):
                    if isinstance(pipeline, dict) and str(pipeline.get("id")) in wanted_pipelines:
                        names["pipelines"][str(pipeline["id"])] = str(pipeline.get("name") or "")
                        _rank_stages(names["stage_order"], pipeline.get("stages"))
        except Exception as err:  # a name is a nicety; the dashboard goes on without it
            log.info("dashboard names: connection %r could not answer: %s", name, err)
    return names


def _rank_stages(order: dict[str, int], stages: Any) -> None:
    """Each stage name's place in its pipeline (the earliest, when pipelines share a name)."""
    listed = [st for st in stages or [] if isinstance(st, dict) and st.get("name")]
    positions = [st.get("position") if isinstance(st.get("position"), int) else index
                 for index, st in enumerate(listed)]
    in_order = [listed[i] for _position, i in sorted((p, i) for i, p in enumerate(positions))]
    for place, stage in enumerate(in_order):
        name = str(stage["name"])
        order[name] = min(order.get(name, place), place)
