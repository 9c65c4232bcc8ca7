import type { NodeSpec, WorkflowDoc } from "../src/api/types";

export function spec(type: string, extra: Partial<NodeSpec> = {}): NodeSpec {
  return {
    type, title: type.split(".").pop()!.replace(/^\w/, (c) => c.toUpperCase()), group: "Logic",
    description: "", icon: "", inputs: ["main"], outputs: ["main"], outputs_from: null,
    params: { type: "object", properties: {} }, credential: null, credential_required: false,
    trigger: null, ui: {}, ...extra,
  };
}

export const manual = spec("core.trigger.manual", { title: "Manual trigger", inputs: [], trigger: "manual", group: "Triggers" });
export const ifSpec = spec("core.if", { title: "IF", outputs: ["true", "false"] });
export const http = spec("core.http", { title: "HTTP request", credential: "http" });
export const switchSpec = spec("core.switch", {
  title: "Switch", outputs: ["fallback"],
  outputs_from: { param: "rules", key: "output", default: "index", extra: ["fallback"], expression_mode: { param: "outputs" } },
});

export function sampleDoc(): WorkflowDoc {
  return {
    format: "flowlane/workflow@1",
    name: "Sample",
    nodes: [
      { id: "start", type: "core.trigger.manual", name: "Start", position: [0, 0], params: {} },
      { id: "check", type: "core.if", name: "Check", position: [280, 0], params: { conditions: { rules: [] } } },
      { id: "call", type: "core.http", name: "Call", position: [560, 0], params: { url: "https://x" }, retry: { max_attempts: 3 } },
    ],
    edges: [
      { from: "start", to: "check", from_port: "main", to_port: "main" },
      { from: "check", to: "call", from_port: "true", to_port: "main" },
    ],
    settings: { timezone: "UTC" },
    notes: [{ id: "n1", text: "hello", position: [0, 200], size: [200, 100] }],
    pinned: { start: { main: [{ a: 1 }] } },
  };
}
