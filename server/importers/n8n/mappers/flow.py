"""Merge, Loop Over Items, Wait, No-op, Execute Workflow, Stop and Error, Respond to Webhook."""

from __future__ import annotations

from typing import Any

from server.importers.n8n import jsontext
from server.importers.n8n.context import MapContext, Mapped, NeedsAttention
from server.importers.n8n.mappers import maps

_JOINS = {"keepMatches": "matches", "enrichInput1": "all_input1", "keepEverything": "all"}
_MERGE_INPUTS = ["input1", "input2"]


@maps("noOp")
def noop(ctx: MapContext) -> Mapped:
    return Mapped("core.noop", {})


@maps("merge")
def merge(ctx: MapContext) -> Mapped:
    if int(ctx.get("numberInputs", 2) or 2) != 2:
        raise NeedsAttention(f"it merges {ctx.get('numberInputs')} inputs; Flowlane's Merge "
                             "takes two")
    mode = ctx.get("mode", "append")
    if ctx.version < 2:
        params = _merge_v1(ctx, mode)
    elif mode == "append":
        params = {"mode": "append"}
    elif mode == "combine":
        params = _combine(ctx)
    elif mode == "chooseBranch":
        params = _choose_branch(ctx)
    else:
        raise NeedsAttention(f"its mode {mode!r} has no Flowlane equivalent")
    return Mapped("core.merge", params, inputs=list(_MERGE_INPUTS))


def _merge_v1(ctx: MapContext, mode: Any) -> dict[str, Any]:
    if mode == "append":
        return {"mode": "append"}
    if mode == "mergeByKey":
        key1 = ctx.plain(ctx.get("propertyName1"), "its input 1 key")
        key2 = ctx.plain(ctx.get("propertyName2"), "its input 2 key")
        if not key1 or not key2:
            raise NeedsAttention("it merges by key but names no key")
        return {"mode": "combine_by_key", "key1": key1, "key2": key2, "join": "all_input1"}
    raise NeedsAttention(f"its mode {mode!r} has no Flowlane equivalent")


def _combine(ctx: MapContext) -> dict[str, Any]:
    how = ctx.get("combineBy" if ctx.version >= 3 else "combinationMode")
    if how not in ("combineByFields", "mergeByFields"):
        raise NeedsAttention(f"it combines {how!r}; Flowlane's Merge combines by a matching "
                             "field")
    if ctx.version >= 3 and not ctx.get("advanced"):
        names = [name.strip() for name in
                 ctx.plain(ctx.get("fieldsToMatchString"), "its fields to match").split(",")
                 if name.strip()]
        pairs = [(name, name) for name in names]
    else:
        holder = ctx.get("mergeByFields")
        entries = holder.get("values") if isinstance(holder, dict) else []
        pairs = [(ctx.plain(entry.get("field1", ""), "its input 1 field"),
                  ctx.plain(entry.get("field2", ""), "its input 2 field"))
                 for entry in entries or [] if isinstance(entry, dict)]
    pairs = [pair for pair in pairs if pair[0] and pair[1]]
    if len(pairs) != 1:
        raise NeedsAttention("it matches on several fields at once" if pairs
                             else "it names no field to match on")
    join_mode = ctx.get("joinMode", "keepMatches")
    if join_mode not in _JOINS:
        raise NeedsAttention(f"its output type {join_mode!r} has no Flowlane equivalent")
    if join_mode == "keepMatches" and ctx.get("outputDataFrom", "both") != "both":
        raise NeedsAttention("it outputs only one input's matching items")
    clash = ctx.option("clashHandling", None)
    if isinstance(clash, dict) and clash.get("values", {}).get("resolveClash") not in (
            None, "preferInput2", "preferLast"):
        ctx.need("when both inputs have a field, Flowlane keeps input 2's value")
    if join_mode != "keepMatches":
        ctx.need("unmatched items keep their place in input 1's order; n8n put them after "
                 "the matches")
    return {"mode": "combine_by_key", "key1": pairs[0][0].removeprefix("$json."),
            "key2": pairs[0][1].removeprefix("$json."), "join": _JOINS[join_mode]}


def _choose_branch(ctx: MapContext) -> dict[str, Any]:
    output = ctx.get("output")
    if output == "empty":
        raise NeedsAttention("it outputs a single empty item once both inputs arrive")
    if ctx.version >= 3:
        chosen = "input2" if str(ctx.get("useDataOfInput", 1)) == "2" else "input1"
    else:
        chosen = "input2" if output == "input2" else "input1"
    return {"mode": "wait_both", "output": chosen}


@maps("splitInBatches")
def loop(ctx: MapContext) -> Mapped:
    if ctx.version < 2:
        raise NeedsAttention("the first Split In Batches (v1) loops by wiring back and testing "
                             "'noItemsLeft'; use Flowlane's Loop over items")
    if ctx.option("reset", False):
        ctx.need("its 'reset' option is not carried over")
    size = ctx.param("batchSize", 1)
    return Mapped("core.loop", {"batch_size": size}, outputs=["done", "loop"])


@maps("wait")
def wait(ctx: MapContext) -> Mapped:
    resume = ctx.get("resume", "timeInterval")
    if resume == "timeInterval":
        unit = ctx.get("unit", "hours")
        if unit not in ("seconds", "minutes", "hours", "days"):
            raise NeedsAttention(f"it waits in {unit!r}")
        return Mapped("core.wait", {"mode": "duration", "amount": ctx.param("amount", 1),
                                    "unit": unit})
    if resume == "specificTime":
        return Mapped("core.wait", {"mode": "until", "until": ctx.param("dateTime", "")})
    raise NeedsAttention(f"it waits for {resume!r} (a call or a form), which Flowlane's Wait "
                         "does not do")


@maps("executeWorkflow")
def execute_workflow(ctx: MapContext) -> Mapped:
    source = ctx.get("source", "database")
    if source != "database":
        raise NeedsAttention(f"it runs a workflow from {source!r}; Flowlane runs saved "
                             "workflows")
    raw = ctx.get("workflowId", "")
    named = raw.get("cachedResultName") if isinstance(raw, dict) else None
    reference = str(named) if named else ctx.plain(raw, "its workflow")
    if not reference:
        raise NeedsAttention("it names no workflow")
    ctx.need(f"it runs the n8n workflow {reference!r}: import that workflow too and check "
             "this node points at it")
    wait_for_it = ctx.option("waitForSubWorkflow", True)
    mode = "each_item" if ctx.get("mode") == "each" else "once"
    return Mapped("core.execute_workflow",
                  {"workflow": reference, "mode": mode, "wait": wait_for_it is not False})


@maps("stopAndError")
def stop(ctx: MapContext) -> Mapped:
    if ctx.get("errorType") == "errorObject":
        message = ctx.param("errorObject", "{}")
    else:
        message = ctx.param("errorMessage", "")
    return Mapped("core.stop", {"message": message or "Stopped by the workflow"}, outputs=[])


@maps("respondToWebhook")
def respond(ctx: MapContext) -> Mapped:
    respond_with = ctx.get("respondWith", "firstIncomingItem")
    params: dict[str, Any] = {}
    status = ctx.option("responseCode", 200)
    headers = _headers(ctx)
    if respond_with == "json":
        params["body"] = jsontext.parse(ctx, ctx.get("responseBody", "{}"), "responseBody")
    elif respond_with == "text":
        params["body"] = ctx.param("responseBody", "")
    elif respond_with == "allIncomingItems":
        params["body"] = "{{ items }}"
    elif respond_with == "noData":
        params["body"] = ""
    elif respond_with == "redirect":
        headers["Location"] = ctx.param("redirectURL", "")
        status = ctx.option("responseCode", 307)
    elif respond_with != "firstIncomingItem":
        raise NeedsAttention(f"it responds with {respond_with!r}")
    params["status"] = status
    if headers:
        params["headers"] = headers
    return Mapped("core.respond_webhook", params)


def _headers(ctx: MapContext) -> dict[str, Any]:
    holder = ctx.option("responseHeaders", {})
    entries = holder.get("entries") if isinstance(holder, dict) else None
    return {ctx.plain(entry.get("name", ""), "a header name"):
            ctx.value(entry.get("value", ""), "options.responseHeaders")
            for entry in entries or [] if isinstance(entry, dict) and entry.get("name")}
