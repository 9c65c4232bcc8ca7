import { describe, expect, it } from "vitest";
import type { RunRow, RunStep } from "../src/api/runs";
import { searchJson } from "../src/components/JsonViewer";
import { triggerPin } from "../src/runs/debug";
import { filtersUrl, parseFilters, toQuery, NO_FILTERS } from "../src/runs/filters";
import { focusNode, formatDuration, mergeFresh, nodeStates, patchRow, timeline } from "../src/runs/model";
import { placed } from "../src/runs/RunGraph";
import { createEditorStore } from "../src/store/editor";

function row(id: number, status = "succeeded"): RunRow {
  return {
    id, workflow_id: 1, version_id: 1, status, trigger_kind: "manual", created_at: null, started_at: null,
    finished_at: null, error: null, parent_run_id: null, workflow_name: "W",
  };
}

function step(node_id: string, status: string, extra: Partial<RunStep> = {}): RunStep {
  return {
    id: Math.floor(Math.random() * 1e9), node_id, node_name: node_id, node_type: "core.noop", iteration: null,
    attempt: 1, status, input_counts: {}, output_counts: {}, origin: "ran", truncated: false,
    started_at: "2025-01-01T00:00:00Z", finished_at: "2025-01-01T00:00:01Z", duration_ms: 1000,
    input: null, output: null, params: null, error: null, ...extra,
  };
}

describe("run filters in the URL", () => {
  it("round-trips every filter and drops what is not valid", () => {
    const filters = { workflow: 3, status: ["failed", "cancelled"], trigger: "webhook", from: "2025-01-02", to: "2025-01-05", q: "needle 42" };
    expect(parseFilters(filtersUrl(filters).split("?")[1])).toEqual(filters);
    expect(parseFilters("?workflow=abc&from=yesterday&to=2025-13-45&status=")).toEqual(NO_FILTERS);
    expect(filtersUrl(NO_FILTERS)).toBe("/runs");
  });

  it("sends local days to the API with an inclusive end", () => {
    const query = toQuery({ ...NO_FILTERS, from: "2025-03-01", to: "2025-03-01" });
    const since = new Date(query.since!);
    const until = new Date(query.until!);
    expect(since.getDate()).toBe(1);
    expect(until.getTime() - since.getTime()).toBeGreaterThanOrEqual(23 * 3600 * 1000);
    expect(until.getDate()).toBe(2);
    expect(toQuery(NO_FILTERS)).toEqual({ workflow_id: undefined, status: undefined, trigger: undefined, since: undefined, until: undefined, q: undefined });
  });
});

describe("live run lists", () => {
  it("takes a fresh first page as the truth where it reaches and keeps older pages", () => {
    const shown = [row(10), row(9), row(8), row(3), row(2)];
    const fresh = [row(12), row(10, "failed"), row(8)]; // 9 left the filter
    expect(mergeFresh(shown, fresh, false).map((r) => [r.id, r.status])).toEqual([
      [12, "succeeded"], [10, "failed"], [8, "succeeded"], [3, "succeeded"], [2, "succeeded"]]);
    expect(mergeFresh(shown, fresh, true).map((r) => r.id)).toEqual([12, 10, 8]);
    expect(mergeFresh(shown, [], false)).toBe(shown);
  });

  it("patches a row from a run event, keeping its workflow name and computing the duration", () => {
    const patched = patchRow([row(5, "running")], {
      ...row(5, "failed"), workflow_name: undefined, started_at: "2025-01-01T00:00:00Z",
      finished_at: "2025-01-01T00:00:02.5Z", error: "boom",
    });
    expect(patched[0]).toMatchObject({ status: "failed", error: "boom", workflow_name: "W", duration_ms: 2500 });
    const untouched = [row(1)];
    expect(patchRow(untouched, row(2))).toBe(untouched);
  });
});

describe("a run's steps on the graph", () => {
  it("uses the last attempt per loop iteration and adds up item counts", () => {
    const states = nodeStates([
      step("a", "succeeded", { output_counts: { main: 3 } }),
      step("b", "failed", { attempt: 1, error: { message: "first try" } }),
      step("b", "succeeded", { attempt: 2, output_counts: { main: 3 } }),
      step("l", "succeeded", { iteration: 0, output_counts: { main: 2 } }),
      step("l", "failed", { iteration: 1, output_counts: {}, error: { message: "bad item" } }),
    ]);
    expect(states.a).toEqual({ status: "succeeded", counts: { main: 3 }, error: null });
    expect(states.b.status).toBe("succeeded");
    expect(states.l).toEqual({ status: "failed", counts: { main: 2 }, error: "bad item" });
  });

  it("opens the failed node first", () => {
    expect(focusNode([step("a", "succeeded"), step("b", "failed")])).toBe("b");
    expect(focusNode([step("a", "failed"), step("b", "failed")], "a")).toBe("a");
    expect(focusNode([step("a", "succeeded")])).toBeNull();
  });

  it("places timeline bars on the run's time axis", () => {
    const bars = timeline([
      step("a", "succeeded", { started_at: "2025-01-01T00:00:00Z", finished_at: "2025-01-01T00:00:01Z" }),
      step("b", "succeeded", { started_at: "2025-01-01T00:00:01Z", finished_at: "2025-01-01T00:00:04Z" }),
    ]);
    expect(bars.map((b) => [Math.round(b.left), Math.round(b.width)])).toEqual([[0, 25], [25, 75]]);
  });

  it("reads durations the way people say them", () => {
    expect(formatDuration(null)).toBe("–");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(2400)).toBe("2.4 s");
    expect(formatDuration(65_000)).toBe("1 min 5 s");
    expect(formatDuration(3_720_000)).toBe("1 h 2 min");
  });
});

describe("debug in editor", () => {
  it("pins what the trigger gave, else the payload as items, else nothing", () => {
    const output = { main: [{ body: { id: 1 } }] };
    expect(triggerPin({ trigger_node: "t", trigger_payload: { id: 1 }, steps: [step("t", "succeeded", { output })] }))
      .toEqual({ nodeId: "t", data: output });
    expect(triggerPin({ trigger_node: "t", trigger_payload: [{ a: 1 }, 2], steps: [] }))
      .toEqual({ nodeId: "t", data: { main: [{ a: 1 }, { value: 2 }] } });
    expect(triggerPin({ trigger_node: "t", trigger_payload: null, steps: [] })).toBeNull();
    expect(triggerPin({ trigger_node: null, trigger_payload: { a: 1 }, steps: [] })).toBeNull();
  });
});

describe("JSON viewer search", () => {
  it("finds keys and values and opens the branches above them", () => {
    const found = searchJson({ contact: { name: "Ada", tags: ["vip", "lead"] }, other: 1 }, "VIP");
    expect([...found.hits]).toEqual(["/contact/tags/0"]);
    expect([...found.around].sort()).toEqual(["", "/contact", "/contact/tags"]);
    expect(searchJson({ email: "x" }, "mail").hits.has("/email")).toBe(true);
    expect(searchJson({ a: 1 }, "  ").hits.size).toBe(0);
  });
});

describe("workflow settings", () => {
  it("change the document, one undo step each, and null removes a setting", () => {
    const store = createEditorStore();
    store.getState().load({ id: 1, name: "W", active: false, version: 1, active_version: null, created_at: null, updated_at: null,
      document: { format: "flowlane/workflow@1", name: "W", nodes: [], settings: { timezone: "UTC" } } });
    store.getState().setSettings({ save_runs: "failed" });
    expect(store.getState().document().settings).toEqual({ timezone: "UTC", save_runs: "failed" });
    store.getState().setSettings({ timezone: null });
    expect(store.getState().document().settings).toEqual({ save_runs: "failed" });
    store.getState().undo();
    expect(store.getState().document().settings).toEqual({ timezone: "UTC", save_runs: "failed" });
  });
});

describe("a run's graph", () => {
  it("lays out a document written without positions, and leaves a drawn one alone", () => {
    const doc = { format: "flowlane/workflow@1", name: "W", nodes: [{ id: "a", type: "x", name: "A" }, { id: "b", type: "x", name: "B" }],
      edges: [{ from: "a", to: "b" }] };
    const out = placed(doc);
    expect(out.nodes[1].position![0]).toBeGreaterThan(out.nodes[0].position![0]);
    const drawn = { ...doc, nodes: doc.nodes.map((n, i) => ({ ...n, position: [i * 10, 0] as [number, number] })) };
    expect(placed(drawn)).toBe(drawn);
  });
});
