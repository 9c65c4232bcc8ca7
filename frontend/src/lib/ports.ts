/** A node's ports as the canvas draws them: static, or derived from params (Switch). */
import type { DocNode, JsonObject, NodeSpec } from "../api/types";

export const ERROR_PORT = "error";

export function outputPorts(spec: NodeSpec | undefined, node: Pick<DocNode, "params" | "on_error">): string[] {
  if (!spec) return ["main"];
  let ports: string[];
  const from = spec.outputs_from;
  const params: JsonObject = node.params ?? {};
  if (from) {
    if (from.expression_mode && params.mode === "expression") {
      const count = params[from.expression_mode.param];
      const n = typeof count === "number" && Number.isInteger(count) ? count : 2;
      ports = Array.from({ length: Math.max(0, n) }, (_, i) => String(i));
    } else {
      ports = [];
      const rows = params[from.param];
      (Array.isArray(rows) ? rows : []).forEach((row, index) => {
        const raw = row && typeof row === "object" && !Array.isArray(row) ? row[from.key] : undefined;
        const name = raw === undefined || raw === null || raw === "" ? String(index) : String(raw);
        if (!ports.includes(name)) ports.push(name);
      });
    }
    ports.push(...(from.extra ?? []));
  } else {
    ports = [...spec.outputs];
  }
  if (node.on_error === "error_output") ports.push(ERROR_PORT);
  return ports;
}

export function inputPorts(spec: NodeSpec | undefined): string[] {
  return spec ? spec.inputs : ["main"];
}

/** Ports worth a label: anything but a lone "main". */
export function labelled(ports: string[]): boolean {
  return !(ports.length === 1 && ports[0] === "main");
}
