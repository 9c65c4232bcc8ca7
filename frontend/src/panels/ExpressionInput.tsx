/** A text field in expression mode: `{{ }}` highlighted, a preview rendered by the server. */
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { Json } from "../api/types";
import { hasExpression, tokenize } from "../lib/expressions";

export interface PreviewScope {
  item?: Json;
  items?: Json[];
  nodes?: Record<string, Json[]>;
  trigger?: Json;
}

export function Highlighted({ text }: { text: string }) {
  return (
    <>
      {tokenize(text).map((segment, index) =>
        segment.expression
          ? <mark key={index} className={segment.unclosed ? "expr expr-bad" : "expr"}>{segment.text}</mark>
          : <span key={index}>{segment.text}</span>,
      )}
      {"\n"}
    </>
  );
}

export function ExpressionInput({ value, onChange, scope, label, multiline = true }: {
  value: string;
  onChange: (next: string) => void;
  scope?: PreviewScope;
  label: string;
  multiline?: boolean;
}) {
  const area = useRef<HTMLTextAreaElement>(null);
  const backdrop = useRef<HTMLPreElement>(null);
  const [preview, setPreview] = useState<{ ok: boolean; value?: Json; error?: string } | null>(null);
  const scopeKey = JSON.stringify(scope ?? {});

  useEffect(() => {
    if (!hasExpression(value)) {
      setPreview(null);
      return;
    }
    let cancelled = false;
    const timer = window.setTimeout(() => {
      api.previewExpression({ template: value, ...(scope ?? {}) })
        .then((result) => !cancelled && setPreview(result))
        .catch((err: Error) => !cancelled && setPreview({ ok: false, error: err.message }));
    }, 300);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
    // scopeKey stands for scope: the preview follows the data, not the object's identity.
  }, [value, scopeKey]);

  const sync = () => {
    if (backdrop.current && area.current) {
      backdrop.current.scrollTop = area.current.scrollTop;
      backdrop.current.scrollLeft = area.current.scrollLeft;
    }
  };

  return (
    <div className="expression">
      <div className={`expr-editor${multiline ? "" : " single"}`}>
        <pre className="expr-backdrop" ref={backdrop} aria-hidden><Highlighted text={value} /></pre>
        <textarea ref={area} className="expr-input" value={value} spellCheck={false} aria-label={label}
          data-expression="true" rows={multiline ? 2 : 1}
          onScroll={sync} onChange={(e) => onChange(e.target.value)} />
      </div>
      {preview && (
        <div className={`expr-preview${preview.ok ? "" : " bad"}`} data-testid="expression-preview">
          {preview.ok ? <>= <code>{formatValue(preview.value)}</code></> : <>⚠ {preview.error}</>}
        </div>
      )}
    </div>
  );
}

export function formatValue(value: Json | undefined): string {
  if (value === undefined) return "undefined";
  if (typeof value === "string") return JSON.stringify(value);
  const text = JSON.stringify(value);
  return text.length > 300 ? text.slice(0, 300) + "…" : text;
}
