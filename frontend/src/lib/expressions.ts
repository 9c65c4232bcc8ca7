/** `{{ }}` expressions as the editor sees them: highlighting and building from data paths. */
import type { Path } from "./json";

export interface Segment {
  text: string;
  expression: boolean;
  /** An expression opened with `{{` and never closed. */
  unclosed?: boolean;
}

export function hasExpression(value: unknown): value is string {
  return typeof value === "string" && (value.includes("{{") || value.includes("{%"));
}

/** Split a template into literal text and `{{ ... }}` parts (the braces stay in the parts). */
export function tokenize(template: string): Segment[] {
  const segments: Segment[] = [];
  let rest = template;
  while (rest.length > 0) {
    const open = rest.indexOf("{{");
    if (open < 0) {
      segments.push({ text: rest, expression: false });
      break;
    }
    if (open > 0) segments.push({ text: rest.slice(0, open), expression: false });
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) {
      segments.push({ text: rest.slice(open), expression: true, unclosed: true });
      break;
    }
    segments.push({ text: rest.slice(open, close + 2), expression: true });
    rest = rest.slice(close + 2);
  }
  return segments;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `item.contact.email`, `item["first name"]`, `item.tags[0]` for a path in the data. */
export function pathAccess(root: string, path: Path): string {
  let out = root;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (IDENT.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** The expression a dragged field inserts: from the current item, or a named node's first item. */
export function fieldExpression(path: Path, nodeName?: string): string {
  const root = nodeName ? `nodes[${JSON.stringify(nodeName)}].items[0]` : "item";
  return `{{ ${pathAccess(root, path)} }}`;
}

/** Insert `text` into `value` at `at` (the end when not given). */
export function insertAt(value: string, text: string, at?: number | null): string {
  const index = at === undefined || at === null ? value.length : Math.max(0, Math.min(at, value.length));
  return value.slice(0, index) + text + value.slice(index);
}
