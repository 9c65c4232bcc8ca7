/** What the schema form renderer needs to know about a JSON Schema. */
import type { Json, NodeSpec, OptionsRef, Problem, Schema } from "../api/types";
import { parsePointer } from "./json";

export type FieldKind =
  | "enum" | "string" | "text" | "number" | "integer" | "boolean" | "object" | "array" | "choice" | "json" | "any";

function types(schema: Schema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return schema.type ? [schema.type] : [];
}

export function fieldKind(schema: Schema): FieldKind {
  if (schema.enum) return "enum";
  if (schema.oneOf || schema.anyOf) return "choice";
  const t = types(schema).filter((x) => x !== "null");
  if (t.length > 1) return "json";
  const one = t[0];
  if (!one) {
    if (schema.properties) return "object";
    if (schema.items) return "array";
    return "any";
  }
  if (one === "string") return schema.format === "textarea" || (schema.ui?.widget === "textarea") ? "text" : "string";
  if (one === "number" || one === "integer" || one === "boolean" || one === "object" || one === "array") {
    if (one === "object" && !schema.properties) return "json";
    return one;
  }
  return "any";
}

export function variants(schema: Schema): Schema[] {
  return schema.oneOf ?? schema.anyOf ?? [];
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

/** The oneOf/anyOf branch that `value` belongs to (by const, type, then required keys). */
export function matchVariant(options: Schema[], value: unknown): number {
  if (value === undefined) return 0;
  const t = jsonType(value);
  const scores: number[] = options.map((option): number => {
    if (option.const !== undefined) return option.const === value ? 3 : -1;
    if (option.enum) return option.enum.includes(value as Json) ? 3 : -1;
    const ot = types(option);
    const typeOk = !ot.length || ot.includes(t) || (t === "integer" && ot.includes("number"));
    if (!typeOk) return -1;
    if (t === "object" && option.required) {
      const has = option.required.every((k) => k in (value as object));
      return has ? 2 : 0;
    }
    return 1;
  });
  const best = Math.max(...scores);
  return Math.max(0, scores.indexOf(best));
}

/** A value to start a new field, array entry or variant with. */
export function emptyValue(schema: Schema): Json {
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const as Json;
  switch (fieldKind(schema)) {
    case "enum":
      return (schema.enum?.[0] ?? "") as Json;
    case "number":
    case "integer":
      return schema.minimum ?? 0;
    case "boolean":
      return false;
    case "array":
      return [];
    case "object": {
      const out: Record<string, Json> = {};
      for (const key of schema.required ?? []) {
        const child = schema.properties?.[key];
        if (child) out[key] = emptyValue(child);
      }
      return out;
    }
    case "choice":
      return emptyValue(variants(schema)[0] ?? {});
    case "json":
      return null;
    default:
      return "";
  }
}

export function isRequired(parent: Schema, key: string): boolean {
  return !!parent.required?.includes(key);
}

export function label(schema: Schema, key: string | number): string {
  if (schema.title) return schema.title;
  if (typeof key === "number") return `#${key + 1}`;
  const text = key.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface OptionsSource {
  source: string;
  dependsOn: string[];
}

function asSource(ref: OptionsRef | undefined, extraDeps?: string[]): OptionsSource | null {
  if (!ref) return null;
  if (typeof ref === "string") return { source: ref, dependsOn: extraDeps ?? [] };
  if (typeof ref === "object" && typeof ref.source === "string") {
    return { source: ref.source, dependsOn: ref.depends_on ?? extraDeps ?? [] };
  }
  return null;
}

/** Where a param's live options come from: its schema's `x-options` / `ui.options` / `options`,
 * or the node's `ui.options[param]`. */
export function optionsSource(spec: NodeSpec | undefined, key: string, schema: Schema): OptionsSource | null {
  const uiDeps = (schema.ui as { depends_on?: unknown } | undefined)?.depends_on;
  const deps = Array.isArray(schema.depends_on) ? schema.depends_on
    : Array.isArray(uiDeps) ? (uiDeps as string[]) : undefined;
  return (
    asSource(schema["x-options"], deps) ??
    asSource(schema.ui?.options, deps) ??
    (typeof schema.options === "string" || (schema.options && typeof schema.options === "object")
      ? asSource(schema.options as OptionsRef, deps)
      : null) ??
    asSource(spec?.ui?.options?.[key], deps)
  );
}

/** The params path a problem's pointer names for a node (`/nodes/3/params/url` -> ["url"]). */
export function problemParamsPath(problem: Problem): string[] | null {
  const parts = parsePointer(problem.pointer);
  if (parts[0] !== "nodes" || parts[2] !== "params") return null;
  return parts.slice(3);
}

/** The field a problem concerns: "params/url", "credential", or "" for the node as a whole. */
export function problemField(problem: Problem): string {
  const parts = parsePointer(problem.pointer);
  if (parts[0] !== "nodes") return "";
  return parts.slice(2).join("/");
}

/** Which node a problem concerns: its node_id, or the node its pointer indexes. */
export function problemNodeId(problem: Problem, nodeIds: string[]): string | null {
  if (problem.node_id) return problem.node_id;
  const parts = parsePointer(problem.pointer);
  if (parts[0] === "nodes" && parts[1] !== undefined && /^\d+$/.test(parts[1])) return nodeIds[Number(parts[1])] ?? null;
  return null;
}

/** The form field a problem should reveal: "params/url" (a missing required key included). */
export function problemFocus(problem: Problem): string {
  const field = problemField(problem);
  const missing = /'([^']+)' is required/.exec(problem.message);
  if (missing && field.startsWith("params")) return `${field}/${missing[1]}`;
  return field;
}

/** Params a new node starts with: the defaults of its required params. */
export function initialParams(schema: Schema): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const key of schema.required ?? []) {
    const child = schema.properties?.[key];
    if (child && child.default !== undefined) out[key] = child.default;
  }
  return out;
}
