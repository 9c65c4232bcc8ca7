/** The editor for one workflow: palette, canvas, node panel, problems, test runs, versions. */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api } from "../api/client";
import { on, subscribe, unsubscribe } from "../api/live";
import { atLeast } from "../api/session";
import { Canvas } from "../canvas/Canvas";
import { Link } from "../components/Link";
import { toast } from "../components/toast";
import { NodePanel } from "../panels/NodePanel";
import { Palette } from "../panels/Palette";
import { ProblemsPanel } from "../panels/ProblemsPanel";
import { ShortcutsDialog } from "../panels/ShortcutsDialog";
import { VersionsDialog } from "../panels/VersionsDialog";
import { WorkflowSettingsDialog } from "../panels/WorkflowSettingsDialog";
import { navigate, setNavigationGuard } from "../router";
import { runsApi } from "../api/runs";
import { triggerPin } from "../runs/debug";
import { catalogStore, useCatalog } from "../store/catalog";
import { isStep } from "../store/convert";
import { editorStore, useEditor } from "../store/editor";
import { pasteIntoEditor } from "../workflows/pasteIntoEditor";
import { viewport } from "../store/viewport";

const LEAVE = "This workflow has unsaved changes. Leave without saving?";

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable;
}

export function EditorPage({ id }: { id: number }) {
  const [error, setError] = useState<string | null>(null);
  const loadedId = useEditor((s) => s.workflowId);
  const info = useEditor((s) => s.info);
  const name = useEditor((s) => s.base.name);
  const dirty = useEditor((s) => s.dirty);
  const panelNodeId = useEditor((s) => s.panelNodeId);
  const problems = useEditor((s) => s.problems.length);
  const warnings = useEditor((s) => s.warnings.length);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const run = useEditor((s) => s.run);
  const catalogReady = useCatalog((s) => s.loaded);
  const [showProblems, setShowProblems] = useState(false);
  const [showVersions, setShowVersions] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [showSettings, setShowSettings] = useState(false);
  const [saving, setSaving] = useState(false);
  const clipboard = useRef<string | null>(null);
  const store = editorStore.getState;

  // Load the workflow and the catalogue.
  useEffect(() => {
    let cancelled = false;
    editorStore.setState({ workflowId: null });
    Promise.all([api.getWorkflow(id), catalogStore.getState().load()]).then(([wf]) => {
      if (cancelled) return;
      store().load(wf);
      document.title = `${wf.name} · Flowlane`;
      const debugRun = Number(new URLSearchParams(window.location.search).get("debugRun"));
      if (debugRun > 0) void pinRunTrigger(id, debugRun);
    }, (err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
      document.title = "Flowlane";
      document.body.removeAttribute("data-canvas-ready");
    };
  }, [id, store]);

  // Guard unsaved work: in-app navigation asks, closing the tab warns.
  useEffect(() => {
    setNavigationGuard(() => !editorStore.getState().dirty || window.confirm(LEAVE));
    const beforeUnload = (e: BeforeUnloadEvent) => {
      if (editorStore.getState().dirty) {
        e.preventDefault();
        e.returnValue = LEAVE;
      }
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      setNavigationGuard(null);
      window.removeEventListener("beforeunload", beforeUnload);
    };
  }, []);

  // Live run progress: the workflow's room for run events, each test run's room for steps.
  useEffect(() => {
    void subscribe(`workflow:${id}`);
    const current = () => editorStore.getState().run?.id;
    const refresh = (runId: number) => {
      api.getRun(runId).then((detail) => {
        if (current() !== runId) return;
        store().setRunSteps(detail.steps);
        const err = typeof detail.error === "string" ? detail.error : detail.error?.message ?? null;
        store().runEvent(detail.status, err);
      }, () => undefined);
    };
    const offs = [
      on("step.started", (e) => e.run_id === current() && store().stepEvent(e.node_id, { status: "running" })),
      on("step.finished", (e) => e.run_id === current() &&
        store().stepEvent(e.node_id, { status: e.status, counts: e.output_counts, error: e.error ?? null })),
      on("run.started", (e) => e.id === current() && store().runEvent("running")),
      on("run.waiting", (e) => e.id === current() && store().runEvent("waiting")),
      on("run.finished", (e) => {
        if (e.id !== current()) return;
        store().runEvent(e.status, e.error);
        refresh(e.id);
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      unsubscribe(`workflow:${id}`);
      const runId = current();
      if (runId) unsubscribe(`run:${runId}`);
    };
  }, [id, store]);

  // Live validation while editing (the server's rules, so problems match what Save says).
  // A store subscription, not a render dependency: dragging must not re-render the page.
  useEffect(() => {
    let timer = 0;
    const unsubscribe = editorStore.subscribe((state, previous) => {
      if (!state.dirty || state.workflowId !== id) return;
      if (state.nodes === previous.nodes && state.edges === previous.edges && state.base === previous.base) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        api.validate(store().document()).then(
          (report) => store().setProblems(report.errors, report.warnings),
          () => undefined,
        );
      }, 700);
    });
    return () => {
      unsubscribe();
      window.clearTimeout(timer);
    };
  }, [id, store]);

  const save = useCallback(async (): Promise<boolean> => {
    setSaving(true);
    try {
      const saved = await api.saveWorkflow(id, store().document());
      store().markSaved(saved);
      toast(`Saved: version ${saved.saved_version ?? saved.version}`, "success");
      if (saved.warnings?.length) setShowProblems(true);
      return true;
    } catch (err) {
      if (err instanceof ApiError && (err.errors.length || err.warnings.length)) {
        store().setProblems(err.errors, err.warnings);
        setShowProblems(true);
      }
      toast(`Not saved: ${(err as Error).message}`, "error");
      return false;
    } finally {
      setSaving(false);
    }
  }, [id, store]);

  const testRun = useCallback(async () => {
    if (editorStore.getState().dirty && !(await save())) return;
    const state = store();
    const doc = state.document();
    const specs = catalogStore.getState().byType;
    const triggers = doc.nodes.filter((n) => specs[n.type]?.trigger && !n.disabled);
    const selected = state.selectedIds().find((sid) => triggers.some((t) => t.id === sid));
    const pinnedTrigger = triggers.find((t) => doc.pinned?.[t.id])?.id;
    const trigger = selected ?? pinnedTrigger ?? triggers.find((t) => specs[t.type]?.trigger === "manual")?.id ?? triggers[0]?.id;
    try {
      const previous = state.run?.id;
      if (previous) unsubscribe(`run:${previous}`);
      const started = await api.runWorkflow(id, { pinned: doc.pinned, ...(trigger ? { trigger_node: trigger } : {}) });
      store().startRun(started.run_id);
      await subscribe(`run:${started.run_id}`);
      // Events sent before the subscription (or before startRun, while the request was
      // in flight) were dropped: read the run once to catch up.
      const detail = await api.getRun(started.run_id);
      const now = editorStore.getState().run;
      if (now?.id !== started.run_id) return;
      if (detail.steps.length) store().setRunSteps(detail.steps);
      // A terminal status always wins; a live one only when no event has moved the run since.
      if (["succeeded", "failed", "cancelled"].includes(detail.status) || now.status === "queued") {
        const err = typeof detail.error === "string" ? detail.error : detail.error?.message ?? null;
        store().runEvent(detail.status, err);
      }
    } catch (err) {
      toast(`Could not start the test run: ${(err as Error).message}`, "error");
    }
  }, [id, save, store]);

  const toggleActive = async () => {
    if (!info) return;
    if (dirty && !info.active && !window.confirm("Activate the last saved version? Your unsaved changes are not part of it.")) return;
    try {
      const updated = info.active ? await api.deactivate(id) : await api.activate(id);
      editorStore.setState({ info: { ...info, ...updated } });
      toast(updated.active ? "Active: its triggers now start runs" : "Inactive", "success");
    } catch (err) {
      toast(`${info.active ? "Deactivate" : "Activate"} failed: ${(err as Error).message}`, "error");
    }
  };

  // Keyboard shortcuts, and copy/cut/paste as workflow JSON through the clipboard.
  useEffect(() => {
    let pasteHandled = false;
    const doPaste = (text: string | null | undefined) => {
      if (!text) return;
      const at = viewport()?.center();
      void pasteIntoEditor(text, "the clipboard", at ? { x: at.x - 100, y: at.y - 40 } : undefined);
    };
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === "s") {
        e.preventDefault();
        void save();
        return;
      }
      if (mod && key === "enter") {
        e.preventDefault();
        void testRun();
        return;
      }
      if (isTyping(e.target) || document.querySelector(".overlay")) return;
      const s = store();
      if (mod && key === "z") {
        e.preventDefault();
        if (e.shiftKey) s.redo();
        else s.undo();
      } else if (mod && key === "y") {
        e.preventDefault();
        s.redo();
      } else if (mod && key === "a") {
        e.preventDefault();
        s.selectOnly(s.nodes.map((n) => n.id));
      } else if (mod && (key === "c" || key === "x")) {
        const text = s.copySelection();
        if (!text) return;
        clipboard.current = text;
        void navigator.clipboard?.writeText(text).catch(() => undefined);
        if (key === "x") s.removeSelected();
      } else if (mod && key === "v") {
        pasteHandled = false;
        window.setTimeout(() => {
          if (pasteHandled) return;
          const fallback = navigator.clipboard?.readText ? navigator.clipboard.readText() : Promise.reject(new Error());
          fallback.then((text) => doPaste(text || clipboard.current), () => doPaste(clipboard.current));
        }, 80);
      } else if (key === "delete" || key === "backspace") {
        e.preventDefault();
        s.removeSelected();
      } else if (mod) {
        return;
      } else if (key === "d") {
        s.toggleDisabled();
      } else if (e.key === "F2") {
        const target = s.selectedIds()[0];
        if (target) {
          s.openPanel(target);
          window.setTimeout(() => (document.querySelector(".node-panel-name") as HTMLInputElement | null)?.select(), 30);
        }
      } else if (e.shiftKey && key === "l") {
        s.autoLayout();
        window.setTimeout(() => viewport()?.fitView(), 50);
      } else if (e.shiftKey && (e.key === "!" || e.code === "Digit1")) {
        viewport()?.fitView();
      } else if (key === "+" || key === "=") {
        viewport()?.zoom(1);
      } else if (key === "-") {
        viewport()?.zoom(-1);
      } else if (key === "n") {
        const at = viewport()?.center() ?? { x: 0, y: 0 };
        s.addNote({ x: at.x - 120, y: at.y - 70 });
      } else if (e.key === "?") {
        setShowHelp(true);
      } else if (e.key === "Escape") {
        s.openPanel(null);
        s.selectOnly([]);
      }
    };
    const onCopy = (e: ClipboardEvent) => {
      if (isTyping(e.target)) return;
      const text = store().copySelection();
      if (!text) return;
      clipboard.current = text;
      e.clipboardData?.setData("text/plain", text);
      e.preventDefault();
      if (e.type === "cut") store().removeSelected();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (isTyping(e.target)) return;
      pasteHandled = true;
      e.preventDefault();
      doPaste(e.clipboardData?.getData("text/plain") || clipboard.current);
    };
    window.addEventListener("keydown", onKey);
    document.addEventListener("copy", onCopy);
    document.addEventListener("cut", onCopy);
    document.addEventListener("paste", onPaste);
    return () => {
      window.removeEventListener("keydown", onKey);
      document.removeEventListener("copy", onCopy);
      document.removeEventListener("cut", onCopy);
      document.removeEventListener("paste", onPaste);
    };
  }, [save, testRun, store]);

  if (error) {
    return (
      <main className="page">
        <h1>Cannot open this workflow</h1>
        <p className="error-text">{error}</p>
        <Link href="/">Back to workflows</Link>
      </main>
    );
  }
  if (loadedId !== id || !catalogReady) return <main className="page"><p className="muted">Loading the editor…</p></main>;

  const running = run && ["queued", "running"].includes(run.status);
  const canEdit = atLeast("editor");
  return (
    <main className="editor" data-testid="editor">
      <div className="editor-bar">
        <button className="btn btn-ghost" onClick={() => navigate("/")} aria-label="Back to workflows">←</button>
        <input className="wf-title" value={name} aria-label="Workflow name" onChange={(e) => store().setName(e.target.value)} />
        {dirty ? <span className="dirty" data-testid="dirty" title="Unsaved changes">● Unsaved changes</span>
          : <span className="muted small" data-testid="saved">Saved · v{info?.version}</span>}
        <span className="spacer" />
        <div className="btn-group">
          <button className="btn btn-ghost" onClick={() => store().undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" aria-label="Undo">↶</button>
          <button className="btn btn-ghost" onClick={() => store().redo()} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" aria-label="Redo">↷</button>
          <button className="btn btn-ghost" onClick={() => { store().autoLayout(); window.setTimeout(() => viewport()?.fitView(), 50); }} title="Auto-layout (Shift+L)">Tidy up</button>
          <button className="btn btn-ghost" onClick={() => { const at = viewport()?.center() ?? { x: 0, y: 0 }; store().addNote({ x: at.x - 120, y: at.y - 70 }); }} title="Sticky note (N)">Note</button>
          <button className="btn btn-ghost" onClick={() => viewport()?.fitView()} title="Fit view (Shift+1)">Fit</button>
        </div>
        <button className={`btn ${problems ? "btn-danger-ghost" : "btn-ghost"}`} onClick={() => setShowProblems(!showProblems)}
          data-testid="problems-button">
          {problems ? `✕ ${problems}` : "✓"}{warnings ? ` · ! ${warnings}` : ""} Problems
        </button>
        <button className="btn btn-ghost" onClick={() => setShowVersions(true)}>Versions</button>
        <Link className="btn btn-ghost" href={`/runs?workflow=${id}`} data-testid="workflow-runs"
          aria-label="Runs of this workflow">Runs</Link>
        <button className="btn btn-ghost" onClick={() => setShowSettings(true)} data-testid="workflow-settings-button">Settings</button>
        <a className="btn btn-ghost" href={api.exportUrl(id)} download data-testid="export">Export</a>
        <button className="btn btn-ghost" onClick={() => setShowHelp(true)} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
        {canEdit ? (
          <>
            <label className="switch" title={info?.active ? "Deactivate" : "Activate"}>
              <input type="checkbox" checked={!!info?.active} onChange={() => void toggleActive()} aria-label="Active" />
              <span />
            </label>
            <button className="btn" onClick={() => void testRun()} disabled={!!running} data-testid="test-workflow">
              {running ? "Running…" : "▶ Test workflow"}
            </button>
            <button className="btn btn-primary" onClick={() => void save()} disabled={saving} data-testid="save">Save</button>
          </>
        ) : <span className="tag" title="Your role can read workflows, not change them">Read only</span>}
      </div>
      <div className="editor-main">
        <Palette />
        <div className="editor-center">
          <Canvas />
          {run && (
            <div className={`run-bar run-${run.status}`} data-testid="run-bar" data-status={run.status}>
              Test run #{run.id}: <strong>{run.status}</strong>{run.error ? ` — ${run.error}` : ""}
              <span className="spacer" />
              <Link href={`/runs/${run.id}`}>Open in Runs</Link>
              <button className="icon-btn" aria-label="Clear run" onClick={() => store().clearRun()}>×</button>
            </div>
          )}
          {showProblems && <ProblemsPanel onClose={() => setShowProblems(false)} />}
          <EmptyHint />
        </div>
        {panelNodeId && <NodePanel key={panelNodeId} id={panelNodeId} />}
      </div>
      {showVersions && <VersionsDialog workflowId={id} onClose={() => setShowVersions(false)} />}
      {showHelp && <ShortcutsDialog onClose={() => setShowHelp(false)} />}
      {showSettings && <WorkflowSettingsDialog onClose={() => setShowSettings(false)} />}
    </main>
  );
}

/** "Debug in editor" from a run: pin that run's trigger data onto its trigger node. */
async function pinRunTrigger(workflowId: number, runId: number): Promise<void> {
  navigate(`/workflows/${workflowId}`, { replace: true, force: true }); // a reload must not pin again
  try {
    const run = await runsApi.get(runId);
    const state = editorStore.getState();
    if (state.workflowId !== workflowId) return;
    if (run.workflow_id !== workflowId) throw new Error(`run #${runId} belongs to another workflow`);
    const pin = triggerPin(run);
    const node = pin && state.nodes.find((n) => n.id === pin.nodeId && isStep(n));
    if (!pin || !node) {
      toast(`Run #${runId} kept no trigger data to pin${pin ? " (its trigger is no longer in this workflow)" : ""}.`, "error");
      return;
    }
    state.setPinned(pin.nodeId, pin.data);
    state.selectOnly([pin.nodeId]);
    state.openPanel(pin.nodeId);
    const name = isStep(node) ? node.data.name : pin.nodeId;
    toast(`Pinned the trigger data of run #${runId} on "${name}": Test workflow runs with it.`, "success");
  } catch (err) {
    toast(`Could not debug run #${runId}: ${(err as Error).message}`, "error");
  }
}

function EmptyHint() {
  const empty = useEditor((s) => !s.nodes.some(isStep));
  if (!empty) return null;
  return <div className="empty-canvas">Drag a node from the left onto the canvas to start, or paste workflow JSON.</div>;
}
