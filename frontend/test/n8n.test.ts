import { describe, expect, it } from "vitest";
import { isN8nExport } from "../src/lib/n8n";

/** The shape n8n's Download gives (trimmed). */
const fixture = (name: string): unknown => ({
  name,
  nodes: [
    { parameters: {}, id: "1", name: "Start", type: "n8n-nodes-base.manualTrigger", typeVersion: 1, position: [0, 0] },
    { parameters: { jsCode: "return items" }, id: "2", name: "Score lead", type: "n8n-nodes-base.code", typeVersion: 2, position: [220, 0] },
  ],
  connections: { Start: { main: [[{ node: "Score lead", type: "main", index: 0 }]] } },
  settings: { executionOrder: "v1" },
  pinData: {},
});

describe("isN8nExport", () => {
  it("recognises n8n exports in every shape the server reads", () => {
    const workflow = fixture("Leads");
    expect(isN8nExport(workflow)).toBe(true);
    expect(isN8nExport([workflow])).toBe(true);
    expect(isN8nExport({ data: workflow })).toBe(true);
    expect(isN8nExport([workflow, fixture("Orders")])).toBe(true); // refused by the server, with why
    const { nodes, connections } = workflow as { nodes: unknown[]; connections: unknown };
    expect(isN8nExport({ nodes, connections })).toBe(true); // nodes copied in n8n's editor
  });

  it("recognises community nodes by their typeVersion", () => {
    const nodes = [{ name: "Thing", type: "acme-nodes.thing", typeVersion: 1, parameters: {} }];
    expect(isN8nExport({ nodes, connections: {} })).toBe(true);
  });

  it("leaves Flowlane documents and other JSON alone", () => {
    expect(isN8nExport({ format: "flowlane/workflow@1", name: "x", nodes: [{ id: "a", type: "core.noop", name: "A" }], edges: [] })).toBe(false);
    expect(isN8nExport({ name: "x", nodes: [{ id: "a", type: "core.noop", name: "A" }] })).toBe(false);
    expect(isN8nExport({ nodes: [{ type: "n8n-nodes-base.set" }] })).toBe(false); // no connections
    expect(isN8nExport([fixture("Leads"), { name: "x", nodes: [], edges: [] }])).toBe(false);
    expect(isN8nExport(null)).toBe(false);
    expect(isN8nExport("n8n-nodes-base.set")).toBe(false);
  });
});
