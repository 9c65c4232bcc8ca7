/** Immutable helpers for JSON values addressed by a path of keys and indexes. */
import type { Json } from "../api/types";

export type Path = (string | number)[];

export function getIn(value: unknown, path: Path): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** A copy of `value` with `path` set to `next` (undefined removes the key or entry). */
export function setIn<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  const base: unknown = value ?? (typeof head === "number" ? [] : {});
  if (Array.isArray(base)) {
    const copy = base.slice();
    const index = head as number;
    const child = setIn(copy[index], rest, next);
    if (child === undefined && rest.length === 0) copy.splice(index, 1);
    else copy[index] = child;
    return copy as T;
  }
  const copy: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  const child = setIn(copy[head as string], rest, next);
  if (child === undefined) delete copy[head as string];
  else copy[head as string] = child;
  return copy as T;
}

/** Parse an RFC 6901 pointer into a path (numbers stay strings: callers know the shape). */
export function parsePointer(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.split("/").slice(1).map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function toPointer(path: Path): string {
  return path.map((part) => "/" + String(part).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((entry, index) => deepEqual(entry, other[index]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length &&
    ka.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

export function clone<T extends Json | undefined>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
