import { describe, expect, it } from "vitest";
import { parseClipboard, preparePaste } from "../src/store/clipboard";
import { diffDocuments, isEmptyDiff } from "../src/lib/diff";
import { fieldExpression, insertAt, tokenize } from "../src/lib/expressions";
import { setIn, getIn, parsePointer } from "../src/lib/json";
import { layout } from "../src/lib/layout";
import { outputPorts } from "../src/lib/ports";
import {
  emptyValue, fieldKind, initialParams, matchVariant, optionsSource, problemFocus, problemNodeId,
  problemParamsPath,
} from "../src/lib/schema";
import { groupSpecs, searchSpecs, acceptedKinds } from "../src/store/catalog";
import type { Schema } from "../src/api/types";
import { http, ifSpec, manual, sampleDoc, switchSpec } from "./fixtures";

describe("schema form helpers", () => {
  it("picks a widget per schema", () => {
    expect(fieldKind({ type: "string" })).toBe("string");
    expect(fieldKind({ enum: ["a", "b"] })).toBe("enum");
    expect(fieldKind({ type: "integer" })).toBe("integer");
    expect(fieldKind({ type: "boolean" })).toBe("boolean");
    expect(fieldKind({ type: "object", properties: { a: {} } })).toBe("object");
    expect(fieldKind({ type: "object" })).toBe("json");
    expect(fieldKind({ type: "array", items: {} })).toBe("array");
    expect(fieldKind({ oneOf: [{ type: "string" }, { type: "number" }] })).toBe("choice");
    expect(fieldKind({ type: ["array", "object", "null"] })).toBe("json");
    expect(fieldKind({ type: ["string", "null"] })).toBe("string");
    expect(fieldKind({ title: "Value" })).toBe("any");
  });

  it("starts values from defaults and required fields", () => {
    expect(emptyValue({ type: "number", default: 30 })).toBe(30);
    expect(emptyValue({ enum: ["x", "y"] })).toBe("x");
    expect(emptyValue({
      type: "object", required: ["operator"],
      properties: { operator: { enum: ["equals"] }, left: { type: "string" } },
    })).toEqual({ operator: "equals" });
    expect(emptyValue({ type: "array", items: {} })).toEqual([]);
  });

  it("matches a value to its oneOf branch", () => {
    const options: Schema[] = [
      { type: "object", required: ["cron"], properties: { cron: { type: "string" } } },
      { type: "object", required: ["every"], properties: { every: { type: "number" } } },
      { type: "string" },
    ];
    expect(matchVariant(options, { every: 5 })).toBe(1);
    expect(matchVariant(options, "x")).toBe(2);
    expect(matchVariant([{ const: "a" }, { const: "b" }], "b")).toBe(1);
    expect(matchVariant(options, undefined)).toBe(0);
  });

  it("finds live option sources in the schema or the node's ui", () => {
    expect(optionsSource(undefined, "pipeline_id", { type: "string", "x-options": "ghl.pipelines" }))
      .toEqual({ source: "ghl.pipelines", dependsOn: [] });
    expect(optionsSource(undefined, "stage", { type: "string", ui: { options: { source: "ghl.stages", depends_on: ["pipeline_id"] } } }))
      .toEqual({ source: "ghl.stages", dependsOn: ["pipeline_id"] });
    expect(optionsSource({ ...http, ui: { options: { workflow: "workflows" } } }, "workflow", { type: "string" }))
      .toEqual({ source: "workflows", dependsOn: [] });
    expect(optionsSource(undefined, "stage", { type: "string", ui: { options: "ghl.stages", depends_on: ["pipeline_id"] } }))
      .toEqual({ source: "ghl.stages", dependsOn: ["pipeline_id"] });
    expect(optionsSource(undefined, "url", { type: "string" })).toBeNull();
  });

  it("maps problems to nodes and fields", () => {
    const p = { message: "x", pointer: "/nodes/2/params/headers/0/name", node_id: null, severity: "error" as const };
    expect(problemNodeId(p, ["a", "b", "c"])).toBe("c");
    expect(problemParamsPath(p)).toEqual(["headers", "0", "name"]);
    expect(problemNodeId({ ...p, node_id: "b" }, ["a", "b", "c"])).toBe("b");
    expect(problemParamsPath({ ...p, pointer: "/edges/0" })).toBeNull();
    expect(problemFocus({ ...p, pointer: "/nodes/1/params", message: "HTTP: 'url' is required." })).toBe("params/url");
    expect(problemFocus({ ...p, pointer: "/nodes/1/credential", message: "needs a connection" })).toBe("credential");
  });

  it("starts new nodes with the defaults of their required params", () => {
    expect(initialParams({
      type: "object", required: ["max_items", "conditions"],
      properties: { max_items: { type: "integer", default: 10 }, keep: { enum: ["first"], default: "first" }, conditions: { type: "object" } },
    })).toEqual({ max_items: 10 });
  });
});

describe("JSON paths", () => {
  it("sets and removes deep values without mutating", () => {
    const value = { a: { b: [1, 2] } };
    const next = setIn(value, ["a", "b", 1], 5);
    expect(next).toEqual({ a: { b: [1, 5] } });
    expect(value).toEqual({ a: { b: [1, 2] } });
    expect(setIn(value, ["a", "b"], undefined)).toEqual({ a: {} });
    expect(setIn({}, ["x", 0], "y")).toEqual({ x: ["y"] });
    expect(getIn(next, ["a", "b", 1])).toBe(5);
    expect(parsePointer("/a~1b/c~0d")).toEqual(["a/b", "c~d"]);
  });
});

describe("expressions", () => {
  it("splits templates for highlighting", () => {
    expect(tokenize("Hi {{ item.name }}!")).toEqual([
      { text: "Hi ", expression: false },
      { text: "{{ item.name }}", expression: true },
      { text: "!", expression: false },
    ]);
    expect(tokenize("{{ open")).toEqual([{ text: "{{ open", expression: true, unclosed: true }]);
  });

  it("builds expressions from dragged data paths", () => {
    expect(fieldExpression(["contact", "email"])).toBe("{{ item.contact.email }}");
    expect(fieldExpression(["tags", 0])).toBe("{{ item.tags[0] }}");
    expect(fieldExpression(["first name"])).toBe('{{ item["first name"] }}');
    expect(fieldExpression(["id"], "Get contact")).toBe('{{ nodes["Get contact"].items[0].id }}');
    expect(insertAt("ab", "X", 1)).toBe("aXb");
    expect(insertAt("ab", "X")).toBe("abX");
  });
});

describe("ports", () => {
  it("derives Switch outputs from its rules", () => {
    expect(outputPorts(switchSpec, { params: { rules: [{ output: "hot" }, {}, { output: "hot" }] } }))
      .toEqual(["hot", "1", "fallback"]);
    expect(outputPorts(switchSpec, { params: { mode: "expression", outputs: 3 } })).toEqual(["0", "1", "2", "fallback"]);
    expect(outputPorts(ifSpec, { on_error: "error_output" })).toEqual(["true", "false", "error"]);
  });
});

describe("clipboard", () => {
  it("accepts whole workflows and bare node lists, refuses other text", () => {
    expect(parseClipboard("hello")).toBeNull();
    expect(parseClipboard('{"a": 1}')).toBeNull();
    expect(parseClipboard(JSON.stringify(sampleDoc()))!.nodes).toHaveLength(3);
    expect(parseClipboard('[{"id": "x", "type": "core.if", "name": "X"}]')!.nodes[0].id).toBe("x");
  });

  it("moves pasted nodes to the place asked", () => {
    const clip = sampleDoc();
    const pasted = preparePaste(clip, new Set(), new Set(), { x: 1000, y: 1000 });
    expect(pasted.nodes.map((n) => n.position)).toEqual([[1000, 1000], [1280, 1000], [1560, 1000]]);
    expect(pasted.notes[0].position).toEqual([1000, 1200]);
    expect(pasted.nodes.map((n) => n.id)).toEqual(["start", "check", "call"]);
    expect(pasted.pinned).toEqual({ start: { main: [{ a: 1 }] } });
  });
});

describe("version diff", () => {
  it("lists nodes added, removed and changed, with their params", () => {
    const a = sampleDoc();
    const b = sampleDoc();
    b.nodes = b.nodes.filter((n) => n.id !== "check");
    b.nodes[1] = { ...b.nodes[1], position: [9, 9], params: { url: "https://y", method: "POST" } };
    b.nodes.push({ id: "new", type: "core.if", name: "New" });
    b.edges = [{ from: "start", to: "call" }];
    const d = diffDocuments(a, b);
    expect(d.added.map((n) => n.id)).toEqual(["new"]);
    expect(d.removed.map((n) => n.id)).toEqual(["check"]);
    expect(d.changed).toEqual([{ id: "call", name: "Call", fields: [
      { path: "params.url", before: "https://x", after: "https://y" },
      { path: "params.method", before: undefined, after: "POST" },
    ] }]);
    expect(d.edgesAdded).toHaveLength(1);
    expect(d.edgesRemoved).toHaveLength(2);
    expect(isEmptyDiff(diffDocuments(a, sampleDoc()))).toBe(true);
    const c = sampleDoc();
    c.nodes[1].params = { conditions: { rules: [{ left: "x" }] } };
    const d2 = diffDocuments({ ...a, nodes: a.nodes.map((n) => (n.id === "check" ? { ...n, params: { conditions: { rules: [{ left: "y" }] } } } : n)) }, c);
    expect(d2.changed[0].fields).toEqual([{ path: "params.conditions.rules[0].left", before: "y", after: "x" }]);
  });
});

describe("layout and palette", () => {
  it("lays a chain out left to right", () => {
    const pos = layout([{ id: "a" }, { id: "b" }, { id: "c" }], [{ source: "a", target: "b" }, { source: "b", target: "c" }]);
    expect(pos.a.x).toBeLessThan(pos.b.x);
    expect(pos.b.x).toBeLessThan(pos.c.x);
  });

  it("searches by title and description, groups in catalogue order", () => {
    const specs = [manual, ifSpec, { ...http, group: "HTTP", description: "Call a URL" }];
    expect(searchSpecs(specs, "url").map((s) => s.type)).toEqual(["core.http"]);
    expect(searchSpecs(specs, "  ").length).toBe(3);
    expect(groupSpecs(["Triggers", "Logic", "HTTP"], specs).map(([g]) => g)).toEqual(["Triggers", "Logic", "HTTP"]);
    const kinds = [{ id: "http_basic", family: "http", title: "", description: "", schema: {} },
      { id: "slack", family: "", title: "", description: "", schema: {} }];
    expect(acceptedKinds(kinds, "http").map((k) => k.id)).toEqual(["http_basic"]);
  });
});
