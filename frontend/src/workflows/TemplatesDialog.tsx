/** Templates: ready-made workflows to start from (GET /api/templates); using one creates a
 *  new workflow from it and opens it in the editor. */
import { useEffect, useState } from "react";
import { ApiError, api } from "../api/client";
import { templatesApi, type Template } from "../api/templates";
import { Dialog } from "../components/Dialog";
import { toast } from "../components/toast";
import { navigate } from "../router";
import "./workflows.css";

/** A requirement as a person reads it: the connection kind's title when the server knows it. */
function requirement(r: Template["requires"][number], titles: Record<string, string>): string {
  const id = typeof r === "string" ? r : r.kind ?? r.name ?? "";
  return (typeof r === "string" ? undefined : r.title) ?? titles[id] ?? id;
}

export function TemplatesDialog({ onClose }: { onClose: () => void }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const [using, setUsing] = useState<string | null>(null);
  const [titles, setTitles] = useState<Record<string, string>>({});

  useEffect(() => {
    templatesApi.list().then(setTemplates, (err: Error) =>
      setError(err instanceof ApiError && err.status === 404 ? "This server offers no templates." : err.message));
    api.credentialKinds().then((kinds) => {
      // A requirement names a kind ("smtp") or a family of kinds ("ghl": token or OAuth).
      const named: Record<string, string> = {};
      for (const k of kinds) named[k.family] ??= k.title.split(" (")[0];
      for (const k of kinds) named[k.id] = k.title;
      setTitles(named);
    }, () => undefined);
  }, []);

  const use = async (template: Template) => {
    setUsing(template.id);
    try {
      const workflow = await templatesApi.use(template.id);
      toast(`Created "${workflow.name}" from a template`, "success");
      onClose();
      navigate(`/workflows/${workflow.id}`);
    } catch (err) {
      toast(`Could not use the template: ${(err as Error).message}`, "error");
      setUsing(null);
    }
  };

  const q = query.trim().toLowerCase();
  const shown = (templates ?? []).filter((t) =>
    !q || `${t.name} ${t.description} ${t.group} ${t.requires.map((r) => requirement(r, titles)).join(" ")}`.toLowerCase().includes(q));
  const groups = [...new Set(shown.map((t) => t.group || "Other"))];
  return (
    <Dialog title="Templates" wide onClose={onClose} testId="templates">
      {error ? <p className="error-text">{error}</p> : templates === null ? <p className="muted">Loading…</p> : (
        <>
          <input type="search" className="search templates-search" placeholder="Search templates" aria-label="Search templates"
            value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />
          {shown.length === 0 && <p className="muted">{templates.length ? `No template matches "${query}".` : "No templates yet."}</p>}
          {groups.map((group) => (
            <section key={group} className="template-group">
              <h3>{group}</h3>
              <div className="template-grid">
                {shown.filter((t) => (t.group || "Other") === group).map((t) => (
                  <article key={t.id} className="template-card" data-testid="template" data-id={t.id}>
                    <h4>{t.name}</h4>
                    <p title={t.description}>{t.description}</p>
                    <div className="template-meta">
                      <span>{t.node_count} {t.node_count === 1 ? "node" : "nodes"}</span>
                      {t.requires.length > 0 && <>
                        <span>· needs</span>
                        {t.requires.map((r, i) => <span key={i} className="tag">{requirement(r, titles)}</span>)}
                      </>}
                    </div>
                    <button className="btn btn-primary btn-small" disabled={using !== null} onClick={() => void use(t)}
                      aria-label={`Use this template: ${t.name}`}>
                      {using === t.id ? "Creating…" : "Use this template"}
                    </button>
                  </article>
                ))}
              </div>
            </section>
          ))}
        </>
      )}
    </Dialog>
  );
}
