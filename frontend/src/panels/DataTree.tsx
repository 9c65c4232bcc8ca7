/** Input data as a tree; drag a field onto a param to insert its expression. */
import { useState, type DragEvent } from "react";
import type { Json } from "../api/types";
import { EXPRESSION_DRAG_TYPE } from "../lib/dnd";
import { fieldExpression } from "../lib/expressions";
import type { Path } from "../lib/json";

const MAX_KEYS = 60;

function preview(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 60) + "…" : value);
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === "object") return `{${Object.keys(value).length}}`;
  return String(value);
}

function Branch({ name, value, path, nodeName, depth }: { name: string; value: Json; path: Path; nodeName?: string; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const expression = fieldExpression(path, nodeName);
  const onDragStart = (e: DragEvent) => {
    e.stopPropagation();
    e.dataTransfer.setData(EXPRESSION_DRAG_TYPE, expression);
    e.dataTransfer.setData("text/plain", expression);
    e.dataTransfer.effectAllowed = "copy";
  };
  const container = value !== null && typeof value === "object";
  const entries: [string, Json, string | number][] = container
    ? Array.isArray(value)
      ? value.slice(0, 10).map((v, i) => [`[${i}]`, v, i])
      : Object.entries(value).slice(0, MAX_KEYS).map(([k, v]) => [k, v, k])
    : [];
  return (
    <li>
      <div className="tree-row" draggable onDragStart={onDragStart} title={`Drag to insert ${expression}`}
        data-testid="data-field" data-path={path.join(".")}>
        {container ? (
          <button type="button" className="tree-toggle" onClick={() => setOpen(!open)} aria-label={open ? "Collapse" : "Expand"}>{open ? "▾" : "▸"}</button>
        ) : <span className="tree-toggle" />}
        <span className="tree-key">{name}</span>
        <span className={`tree-value t-${value === null ? "null" : Array.isArray(value) ? "array" : typeof value}`}>{preview(value)}</span>
      </div>
      {container && open && (
        <ul>{entries.map(([label, child, key]) => (
          <Branch key={label} name={label} value={child} path={[...path, key]} nodeName={nodeName} depth={depth + 1} />
        ))}</ul>
      )}
    </li>
  );
}

export function DataTree({ item, nodeName }: { item: Json; nodeName?: string }) {
  if (item === null || typeof item !== "object" || Array.isArray(item)) {
    return <p className="muted">No fields.</p>;
  }
  return (
    <ul className="tree" data-testid="data-tree">
      {Object.entries(item).slice(0, MAX_KEYS).map(([key, value]) => (
        <Branch key={key} name={key} value={value} path={[key]} nodeName={nodeName} depth={0} />
      ))}
    </ul>
  );
}

export function JsonView({ value, label }: { value: unknown; label?: string }) {
  const text = JSON.stringify(value, null, 2) ?? "undefined";
  return (
    <div className="json-view">
      {label && <div className="json-view-head"><span>{label}</span>
        <button type="button" className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(text)}>Copy</button></div>}
      <pre>{text.length > 200_000 ? text.slice(0, 200_000) + "\n… (truncated)" : text}</pre>
    </div>
  );
}
