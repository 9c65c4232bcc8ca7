/**
 * A form generated from a JSON Schema: text, number, boolean, enum, object, array, oneOf/anyOf.
 * Any field can switch to expression mode; fields accept data dragged from the input tree.
 */
import { createContext, useContext, useEffect, useState, type DragEvent, type ReactNode } from "react";
import { api } from "../api/client";
import type { Json, JsonObject, NodeSpec, Schema } from "../api/types";
import { EXPRESSION_DRAG_TYPE } from "../lib/dnd";
import { hasExpression, insertAt } from "../lib/expressions";
import { getIn, setIn, type Path } from "../lib/json";
import { emptyValue, fieldKind, label, matchVariant, optionsSource, variants } from "../lib/schema";
import { ExpressionInput, type PreviewScope } from "./ExpressionInput";

export interface FormContext {
  spec?: NodeSpec;
  credential?: string | null;
  root: JsonObject;
  set(path: Path, value: Json | undefined): void;
  problems: Map<string, string[]>;
  scope?: PreviewScope;
  /** Prefix of data-field attributes ("params"), so problems can find their field. */
  prefix: string;
}

const Ctx = createContext<FormContext | null>(null);
const useForm = () => useContext(Ctx)!;

export function SchemaForm({ schema, value, onChange, spec, credential, problems, scope, prefix = "params" }: {
  schema: Schema;
  value: JsonObject;
  onChange: (next: JsonObject, path: Path) => void;
  spec?: NodeSpec;
  credential?: string | null;
  problems?: Map<string, string[]>;
  scope?: PreviewScope;
  prefix?: string;
}) {
  const ctx: FormContext = {
    spec, credential, root: value, problems: problems ?? new Map(), scope, prefix,
    set: (path, next) => onChange(setIn(value, path, next) ?? {}, path),
  };
  const properties = Object.entries(schema.properties ?? {});
  return (
    <Ctx.Provider value={ctx}>
      <div className="schema-form">
        {properties.length === 0 && <p className="muted">This node has no parameters.</p>}
        {properties.map(([key, child]) => (
          <Field key={key} schema={child} path={[key]} name={key} required={!!schema.required?.includes(key)} />
        ))}
      </div>
    </Ctx.Provider>
  );
}

function FieldShell({ path, name, schema, required, children, expr, onToggleExpr, onDropExpr }: {
  path: Path;
  name: string | number;
  schema: Schema;
  required: boolean;
  children: ReactNode;
  expr?: boolean;
  onToggleExpr?: () => void;
  onDropExpr?: (expression: string) => void;
}) {
  const ctx = useForm();
  const key = path.join("/");
  const problems = ctx.problems.get(key) ?? [];
  const onDragOver = (e: DragEvent) => {
    if (onDropExpr && e.dataTransfer.types.includes(EXPRESSION_DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    }
  };
  const onDrop = (e: DragEvent) => {
    const expression = e.dataTransfer.getData(EXPRESSION_DRAG_TYPE);
    if (!expression || !onDropExpr) return;
    e.preventDefault();
    e.stopPropagation();
    onDropExpr(expression);
  };
  return (
    <div className={`field${problems.length ? " field-invalid" : ""}${onDropExpr ? " droppable" : ""}`}
      data-field={`${ctx.prefix}/${key}`} onDragOver={onDragOver} onDrop={onDrop}>
      <div className="field-head">
        <span className="field-label">{label(schema, name)}{required && <span className="req" title="Required">*</span>}</span>
        {onToggleExpr && (
          <button type="button" className={`fx${expr ? " on" : ""}`} onClick={onToggleExpr}
            title={expr ? "Use a fixed value" : "Use an expression"} aria-pressed={!!expr} aria-label={`Expression mode: ${label(schema, name)}`}>
            fx
          </button>
        )}
      </div>
      {children}
      {schema.description && <span className="help">{schema.description}</span>}
      {problems.map((p, i) => <span key={i} className="error-text" role="alert">{p}</span>)}
    </div>
  );
}

/** Convert a value when leaving expression mode: keep it when it fits, else start empty. */
function fromExpression(schema: Schema, value: unknown): Json | undefined {
  if (typeof value !== "string" || hasExpression(value)) return undefined;
  const kind = fieldKind(schema);
  if (kind === "number" || kind === "integer") return value === "" || Number.isNaN(Number(value)) ? undefined : Number(value);
  if (kind === "boolean") return value === "true";
  if (kind === "enum") return schema.enum?.includes(value) ? value : undefined;
  return value;
}

function toExpression(value: unknown): string {
  if (value === undefined || value === null || value === "") return "";
  if (typeof value === "string") return value;
  return `{{ ${JSON.stringify(value)} }}`;
}

function Field({ schema, path, name, required }: { schema: Schema; path: Path; name: string | number; required: boolean }) {
  const ctx = useForm();
  const value = getIn(ctx.root, path) as Json | undefined;
  const kind = fieldKind(schema);
  const stringy = kind === "string" || kind === "text" || kind === "any";
  const [forcedExpr, setForcedExpr] = useState(false);
  const exprMode = forcedExpr || (hasExpression(value) && kind !== "object");
  const set = (next: Json | undefined) => ctx.set(path, next);
  const canExpr = kind !== "object";

  const toggle = () => {
    if (exprMode) {
      setForcedExpr(false);
      set(fromExpression(schema, value));
    } else {
      setForcedExpr(true);
      set(toExpression(value));
    }
  };

  const dropExpr = (expression: string) => {
    setForcedExpr(true);
    if (exprMode || stringy) {
      const current = typeof value === "string" ? value : "";
      const active = document.activeElement as HTMLTextAreaElement | HTMLInputElement | null;
      const inField = active && active.closest(`[data-field="${ctx.prefix}/${path.join("/")}"]`);
      const at = inField && "selectionStart" in active ? active.selectionStart : null;
      set(insertAt(current, expression, at));
    } else {
      set(expression);
    }
  };

  if (kind === "object" && !exprMode) {
    return (
      <fieldset className="field-object" data-field={`${ctx.prefix}/${path.join("/")}`}>
        <legend>{label(schema, name)}{required && <span className="req">*</span>}</legend>
        {schema.description && <span className="help">{schema.description}</span>}
        {Object.entries(schema.properties ?? {}).map(([key, child]) => (
          <Field key={key} schema={child} path={[...path, key]} name={key} required={!!schema.required?.includes(key)} />
        ))}
      </fieldset>
    );
  }

  if (kind === "array" && !exprMode) {
    const mapping = ctx.spec?.ui?.form === "field-mapping" && path.length === 1 && path[0] === "fields";
    return (
      <FieldShell path={path} name={name} schema={schema} required={required} expr={false} onToggleExpr={toggle}>
        {mapping ? <MappingRows schema={schema} path={path} /> : <ArrayField schema={schema} path={path} />}
      </FieldShell>
    );
  }

  let input: ReactNode;
  const text = label(schema, name);
  if (exprMode) {
    input = <ExpressionInput value={typeof value === "string" ? value : toExpression(value)} onChange={set} scope={ctx.scope} label={text} />;
  } else if (kind === "choice") {
    input = <ChoiceField schema={schema} path={path} />;
  } else {
    input = <ScalarInput schema={schema} kind={kind} value={value} onChange={set} label={text} name={String(name)} />;
  }
  return (
    <FieldShell path={path} name={name} schema={schema} required={required} expr={exprMode}
      onToggleExpr={canExpr ? toggle : undefined} onDropExpr={dropExpr}>
      {input}
    </FieldShell>
  );
}

function ScalarInput({ schema, kind, value, onChange, label: text, name }: {
  schema: Schema;
  kind: string;
  value: Json | undefined;
  onChange: (v: Json | undefined) => void;
  label: string;
  name: string;
}) {
  const ctx = useForm();
  const source = optionsSource(ctx.spec, name, schema);
  if (source && (kind === "string" || kind === "any" || kind === "integer" || kind === "number")) {
    return <LiveSelect source={source.source} dependsOn={source.dependsOn} value={value} onChange={onChange} label={text} />;
  }
  switch (kind) {
    case "enum": {
      const current = value === undefined ? schema.default : value;
      return (
        <select aria-label={text} value={current === undefined ? "" : JSON.stringify(current)}
          onChange={(e) => onChange(e.target.value === "" ? undefined : JSON.parse(e.target.value) as Json)}>
          {(current === undefined || schema.default === undefined) && <option value="">—</option>}
          {(schema.enum ?? []).map((option) => (
            <option key={JSON.stringify(option)} value={JSON.stringify(option)}>{String(option)}</option>
          ))}
        </select>
      );
    }
    case "boolean": {
      const checked = value === undefined ? schema.default === true : value === true;
      return (
        <label className="checkbox">
          <input type="checkbox" checked={checked} aria-label={text} onChange={(e) => onChange(e.target.checked)} />
          <span>{checked ? "Yes" : "No"}</span>
        </label>
      );
    }
    case "number":
    case "integer":
      return (
        <input type="number" aria-label={text} value={typeof value === "number" ? value : ""}
          placeholder={schema.default !== undefined ? String(schema.default) : ""}
          min={schema.minimum} max={schema.maximum} step={kind === "integer" ? 1 : "any"}
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))} />
      );
    case "json":
      return <JsonInput value={value} onChange={onChange} label={text} />;
    case "text":
      return <textarea aria-label={text} rows={4} value={typeof value === "string" ? value : ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)} />;
    default: {
      const shown = value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
      return (
        <input type="text" aria-label={text} value={shown}
          placeholder={schema.ui?.placeholder ?? (schema.default !== undefined ? String(schema.default) : "")}
          onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)} />
      );
    }
  }
}

/** JSON typed as text; committed only when it parses. */
function JsonInput({ value, onChange, label: text }: { value: Json | undefined; onChange: (v: Json | undefined) => void; label: string }) {
  const [draft, setDraft] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 2)));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    try {
      if (draft.trim() === "" ? value !== undefined : JSON.stringify(JSON.parse(draft)) !== JSON.stringify(value)) {
        setDraft(value === undefined ? "" : JSON.stringify(value, null, 2));
      }
    } catch {
      /* the user is typing: keep the draft */
    }
    // Only an outside change (undo, paste) resets the draft.
  }, [value]);
  return (
    <>
      <textarea className="code" rows={4} aria-label={text} value={draft} spellCheck={false}
        onChange={(e) => {
          setDraft(e.target.value);
          if (!e.target.value.trim()) {
            setError(null);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(e.target.value) as Json);
            setError(null);
          } catch (err) {
            setError(`Not valid JSON yet: ${(err as Error).message}`);
          }
        }} />
      {error && <span className="error-text">{error}</span>}
    </>
  );
}

function ChoiceField({ schema, path }: { schema: Schema; path: Path }) {
  const ctx = useForm();
  const value = getIn(ctx.root, path) as Json | undefined;
  const options = variants(schema);
  const index = matchVariant(options, value);
  const chosen = options[index] ?? {};
  const title = (s: Schema, i: number) => s.title ?? (s.const !== undefined ? String(s.const) : Array.isArray(s.type) ? s.type.join(" or ") : s.type ?? `Option ${i + 1}`);
  return (
    <div className="choice">
      <select aria-label="Variant" value={index} onChange={(e) => ctx.set(path, emptyValue(options[Number(e.target.value)] ?? {}))}>
        {options.map((option, i) => <option key={i} value={i}>{title(option, i)}</option>)}
      </select>
      {fieldKind(chosen) === "object" ? (
        Object.entries(chosen.properties ?? {}).map(([key, child]) => (
          <Field key={key} schema={child} path={[...path, key]} name={key} required={!!chosen.required?.includes(key)} />
        ))
      ) : chosen.const === undefined && (
        <ScalarInput schema={chosen} kind={fieldKind(chosen)} value={value} onChange={(v) => ctx.set(path, v)}
          label={title(chosen, index)} name={String(path[path.length - 1])} />
      )}
    </div>
  );
}

function ArrayField({ schema, path }: { schema: Schema; path: Path }) {
  const ctx = useForm();
  const value = getIn(ctx.root, path);
  const list = Array.isArray(value) ? value : [];
  const itemSchema = schema.items ?? {};
  const move = (from: number, to: number) => {
    const next = list.slice();
    const [entry] = next.splice(from, 1);
    next.splice(to, 0, entry);
    ctx.set(path, next);
  };
  return (
    <div className="array">
      {list.map((_, index) => (
        <div className="array-item" key={index} data-testid="array-item">
          <div className="array-item-body">
            <Field schema={itemSchema} path={[...path, index]} name={index} required={false} />
          </div>
          <div className="array-item-tools">
            <button type="button" className="icon-btn" disabled={index === 0} onClick={() => move(index, index - 1)} aria-label="Move up">↑</button>
            <button type="button" className="icon-btn" disabled={index === list.length - 1} onClick={() => move(index, index + 1)} aria-label="Move down">↓</button>
            <button type="button" className="icon-btn" onClick={() => ctx.set(path, list.filter((_, i) => i !== index))} aria-label="Remove">×</button>
          </div>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => ctx.set(path, [...list, emptyValue(itemSchema)])}>
        + Add {(itemSchema.title ?? schema.title ?? "item").toLowerCase().replace(/s$/, "")}
      </button>
    </div>
  );
}

/** The Map fields node: one row per field, target ← source. */
function MappingRows({ schema, path }: { schema: Schema; path: Path }) {
  const ctx = useForm();
  const value = getIn(ctx.root, path);
  const rows = Array.isArray(value) ? (value as JsonObject[]) : [];
  const props = schema.items?.properties ?? {};
  const types = props.type?.enum ?? [];
  const setRow = (index: number, key: string, next: Json | undefined) => ctx.set([...path, index, key], next);
  const dropOn = (index: number) => (e: DragEvent) => {
    const expression = e.dataTransfer.getData(EXPRESSION_DRAG_TYPE);
    if (!expression) return;
    e.preventDefault();
    e.stopPropagation();
    const row = rows[index] ?? {};
    const current = row.value;
    const next: JsonObject = { ...row, value: typeof current === "string" && current ? current + expression : expression };
    // An empty target takes the field's own name: dropping "email" maps email <- email.
    const guess = /\.([A-Za-z_][A-Za-z0-9_]*) }}$/.exec(expression)?.[1];
    if (!row.target && guess) next.target = guess;
    ctx.set([...path, index], next);
  };
  const allow = (e: DragEvent) => {
    if (e.dataTransfer.types.includes(EXPRESSION_DRAG_TYPE)) e.preventDefault();
  };
  return (
    <div className="mapping">
      {rows.map((row, index) => (
        <div className="mapping-row" key={index} data-testid="mapping-row" onDragOver={allow} onDrop={dropOn(index)}
          data-field={`${ctx.prefix}/${[...path, index].join("/")}`}>
          <input className="mapping-target" aria-label="Target field" placeholder="target.field"
            value={typeof row.target === "string" ? row.target : ""} onChange={(e) => setRow(index, "target", e.target.value)} />
          <span className="mapping-arrow" aria-hidden>←</span>
          <div className="mapping-source">
            <ExpressionInput value={typeof row.value === "string" ? row.value : row.value === undefined ? "" : JSON.stringify(row.value)}
              onChange={(v) => setRow(index, "value", v)} scope={ctx.scope} label="Source value" multiline={false} />
          </div>
          <select aria-label="Convert to" value={typeof row.type === "string" ? row.type : "auto"}
            onChange={(e) => setRow(index, "type", e.target.value === "auto" ? undefined : e.target.value)}>
            {types.map((t) => <option key={String(t)} value={String(t)}>{String(t)}</option>)}
          </select>
          <button type="button" className="icon-btn" aria-label="Remove field" onClick={() => ctx.set(path, rows.filter((_, i) => i !== index))}>×</button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => ctx.set(path, [...rows, { target: "", value: "" }])}>+ Add field</button>
      <p className="help">Drag a field from the input data onto a row to map it.</p>
    </div>
  );
}

/** A dropdown fed by GET /api/options/<source>; a plain input while the server has no such
 * source, or no connection is chosen. */
function LiveSelect({ source, dependsOn, value, onChange, label: text }: {
  source: string;
  dependsOn: string[];
  value: Json | undefined;
  onChange: (v: Json | undefined) => void;
  label: string;
}) {
  const ctx = useForm();
  const [options, setOptions] = useState<{ value: string; label: string }[] | null | "loading">("loading");
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const query: Record<string, string> = {};
  if (ctx.credential) query.credential = ctx.credential;
  for (const dep of dependsOn) {
    const v = ctx.root[dep];
    if (v !== undefined && v !== null && v !== "") query[dep] = String(v);
  }
  if (reload) query.refresh = "1";
  const key = JSON.stringify(query);
  useEffect(() => {
    if (!ctx.credential) {
      setOptions(null);
      setError(null);
      return;
    }
    let cancelled = false;
    setOptions("loading");
    setError(null);
    api.options(source, query).then(
      (result) => !cancelled && setOptions(result),
      (err: Error) => {
        if (!cancelled) {
          setOptions(null);
          setError(err.message);
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [source, key, reload]);
  const shown = value === undefined || value === null ? "" : String(value);
  const plain = options === "loading" || options === null;
  return (
    <>
      <div className="live-select">
        {plain ? (
          <input type="text" aria-label={text} value={shown} data-options={source}
            placeholder={options === "loading" ? "Loading options…" : ""}
            onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)} />
        ) : (
          <select aria-label={text} value={shown} data-options={source}
            onChange={(e) => onChange(e.target.value === "" ? undefined : e.target.value)}>
            <option value="">—</option>
            {!options.some((o) => o.value === shown) && shown && <option value={shown}>{shown}</option>}
            {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        )}
        {ctx.credential && (
          <button type="button" className="icon-btn" title="Reload the list" aria-label={`Reload ${text}`}
            onClick={() => setReload(reload + 1)}>↻</button>
        )}
      </div>
      {!ctx.credential && <span className="help">Choose a connection to pick from a list.</span>}
      {error && <span className="help">Could not load the list: {error}</span>}
    </>
  );
}
