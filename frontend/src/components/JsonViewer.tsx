/** A JSON value as a tree: collapsible, searchable (matches are highlighted and their
 *  branches opened), copyable. Big lists show their first entries and grow on demand. */
import { useMemo, useState, type ReactNode } from "react";
import { toast } from "./toast";
import "./JsonViewer.css";

type Value = unknown;
type Mode = "auto" | "all" | "none";

/** Entries shown per list or object before "show more". */
const PAGE = 100;
/** Values visited by one search at most (a huge payload must not freeze the page). */
const SEARCH_BUDGET = 50_000;

interface Search {
  /** Paths whose key or value matches. */
  hits: Set<string>;
  /** Paths with a match below them: opened while searching. */
  around: Set<string>;
}

function childEntries(value: Value): [string, Value][] {
  if (Array.isArray(value)) return value.map((v, i) => [String(i), v]);
  if (value !== null && typeof value === "object") return Object.entries(value as Record<string, Value>);
  return [];
}

function isContainer(value: Value): boolean {
  return value !== null && typeof value === "object";
}

export function searchJson(value: Value, query: string): Search {
  const hits = new Set<string>();
  const around = new Set<string>();
  const needle = query.trim().toLowerCase();
  if (!needle) return { hits, around };
  let budget = SEARCH_BUDGET;
  const visit = (node: Value, path: string, key: string): boolean => {
    if (budget-- <= 0) return false;
    let found = key.toLowerCase().includes(needle);
    if (!isContainer(node)) found ||= String(node).toLowerCase().includes(needle);
    if (found) hits.add(path);
    let below = false;
    for (const [k, v] of childEntries(node)) below = visit(v, `${path}/${k}`, k) || below;
    if (below) around.add(path);
    return found || below;
  };
  visit(value, "", "");
  return { hits, around };
}

function highlight(text: string, query: string): ReactNode {
  const needle = query.trim().toLowerCase();
  if (!needle) return text;
  const at = text.toLowerCase().indexOf(needle);
  if (at < 0) return text;
  return <>{text.slice(0, at)}<mark>{text.slice(at, at + needle.length)}</mark>{text.slice(at + needle.length)}</>;
}

function summary(value: Value): string {
  if (Array.isArray(value)) return `[${value.length}]`;
  return `{${Object.keys(value as object).length}}`;
}

function primitive(value: Value): [string, string] {
  if (value === null) return ["null", "null"];
  if (typeof value === "string") return [JSON.stringify(value), "string"];
  return [String(value), typeof value];
}

interface TreeContext {
  mode: Mode;
  query: string;
  search: Search;
  toggled: Record<string, boolean>;
  toggle(path: string, open: boolean): void;
}

function Entry({ name, value, path, depth, ctx }: {
  name: string | null; value: Value; path: string; depth: number; ctx: TreeContext;
}) {
  const container = isContainer(value);
  const searching = !!ctx.query.trim();
  const auto = ctx.mode === "all" || (ctx.mode === "auto" && (searching ? ctx.search.around.has(path) : depth < 2));
  const open = container && (ctx.toggled[path] ?? auto);
  const hit = ctx.search.hits.has(path);
  const [text, type] = container ? [summary(value), "container"] : primitive(value);
  return (
    <li>
      <div className={`json-row${hit ? " json-hit" : ""}`} data-testid="json-row" data-path={path}>
        {container ? (
          <button type="button" className="json-toggle" aria-expanded={open}
            aria-label={`${open ? "Collapse" : "Expand"} ${name ?? "value"}`}
            onClick={() => ctx.toggle(path, !open)}>{open ? "▾" : "▸"}</button>
        ) : <span className="json-toggle" />}
        {name !== null && <span className="json-key">{highlight(name, ctx.query)}:</span>}
        <span className={`json-value t-${type}`}>{container ? text : highlight(text, ctx.query)}</span>
      </div>
      {open && <ul><Children value={value} path={path} depth={depth + 1} ctx={ctx} /></ul>}
    </li>
  );
}

/** A list's or object's entries, the first ones at once and more on demand. */
function Children({ value, path, depth, ctx }: { value: Value; path: string; depth: number; ctx: TreeContext }) {
  const [shown, setShown] = useState(PAGE);
  const entries = childEntries(value);
  if (!entries.length) return <li className="muted small">{Array.isArray(value) ? "No items" : "Empty"}</li>;
  return (
    <>
      {entries.slice(0, shown).map(([key, child]) => (
        <Entry key={key} name={Array.isArray(value) ? `[${key}]` : key} value={child} path={`${path}/${key}`}
          depth={depth} ctx={ctx} />
      ))}
      {entries.length > shown && (
        <li><button type="button" className="link-button json-more" onClick={() => setShown(shown + PAGE * 5)}>
          Show {Math.min(PAGE * 5, entries.length - shown)} more of {entries.length - shown}
        </button></li>
      )}
    </>
  );
}

export function copyJson(value: Value, what = "JSON"): void {
  const text = JSON.stringify(value, null, 2) ?? "null";
  const done = () => toast(`Copied ${what}`, "success");
  if (navigator.clipboard?.writeText) {
    navigator.clipboard.writeText(text).then(done, () => toast("The browser did not allow copying.", "error"));
  } else {
    toast("The browser did not allow copying.", "error");
  }
}

export function JsonViewer({ value, label, extra, testId }: {
  value: Value; label?: ReactNode; extra?: ReactNode; testId?: string;
}) {
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState<Mode>("auto");
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const search = useMemo(() => searchJson(value, query), [value, query]);
  const ctx: TreeContext = {
    mode, query, search, toggled,
    toggle: (path, open) => setToggled((t) => ({ ...t, [path]: open })),
  };
  const everything = (next: Mode) => {
    setMode(next);
    setToggled({});
  };
  const searching = !!query.trim();
  return (
    <section className="json-viewer" data-testid={testId ?? "json-viewer"}>
      <header className="json-head">
        {label && <span className="json-label">{label}</span>}
        {extra}
        <span className="spacer" />
        <input type="search" className="json-search" placeholder="Search" aria-label="Search in this data"
          value={query} onChange={(e) => { setQuery(e.target.value); setMode("auto"); setToggled({}); }} />
        {searching && <span className="muted small" data-testid="json-matches">{search.hits.size} match{search.hits.size === 1 ? "" : "es"}</span>}
        <button type="button" className="btn btn-small btn-ghost" title="Expand all" aria-label="Expand all"
          onClick={() => everything("all")}>⊞</button>
        <button type="button" className="btn btn-small btn-ghost" title="Collapse all" aria-label="Collapse all"
          onClick={() => everything("none")}>⊟</button>
        <button type="button" className="btn btn-small" onClick={() => copyJson(value)}>Copy</button>
      </header>
      <ul className="json-tree">
        {isContainer(value)
          ? <Children value={value} path="" depth={0} ctx={ctx} />
          : <Entry name={null} value={value} path="" depth={0} ctx={ctx} />}
      </ul>
    </section>
  );
}
