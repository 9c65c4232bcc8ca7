/** The node palette: grouped, searchable; drag a node onto the canvas or click to add it. */
import { memo, useDeferredValue, useMemo, useState, type DragEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import type { NodeSpec } from "../api/types";
import { NODE_DRAG_TYPE } from "../lib/dnd";
import { groupSpecs, searchSpecs, useCatalog } from "../store/catalog";
import { editorStore } from "../store/editor";
import { viewport } from "../store/viewport";

function iconLetter(spec: NodeSpec): string {
  return spec.title.trim()[0]?.toUpperCase() ?? "?";
}

const PaletteItem = memo(function PaletteItem({ spec }: { spec: NodeSpec }) {
  const onDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(NODE_DRAG_TYPE, spec.type);
    event.dataTransfer.setData("text/plain", spec.title);
    event.dataTransfer.effectAllowed = "copy";
  };
  const add = () => {
    const state = editorStore.getState();
    const after = state.selectedIds()[0] ?? state.panelNodeId;
    const center = after ? undefined : viewport()?.center();
    const id = state.addNode(spec, center ? { x: center.x - 100, y: center.y - 30 } : undefined, after);
    state.openPanel(id);
    viewport()?.focusNode(id);
  };
  return (
    <li>
      <button className="palette-item" draggable onDragStart={onDragStart} onClick={add}
        data-testid="palette-item" data-type={spec.type} title={`${spec.description}\n\nDrag onto the canvas, or click to add after the selected node.`}>
        <span className={`palette-icon${spec.trigger ? " trigger" : ""}`} aria-hidden>{iconLetter(spec)}</span>
        <span className="palette-text">
          <span className="palette-title">{spec.title}</span>
          <span className="palette-desc">{spec.description}</span>
        </span>
      </button>
    </li>
  );
});

export function Palette() {
  const { groups, specs, error } = useCatalog(useShallow((s) => ({ groups: s.groups, specs: s.specs, error: s.error })));
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query);
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  const grouped = useMemo(() => groupSpecs(groups, searchSpecs(specs, deferred)), [groups, specs, deferred]);

  return (
    <aside className="palette" aria-label="Nodes" data-testid="palette">
      <input className="search" type="search" placeholder="Search nodes" aria-label="Search nodes" value={query}
        onChange={(e) => setQuery(e.target.value)} onKeyDown={(e) => e.stopPropagation()} />
      {error && <p className="error-text">{error}</p>}
      <div className="palette-groups">
        {grouped.map(([group, list]) => {
          // Groups beyond the core ones (each HighLevel app) start folded: hundreds of
          // operations stay one click away without drawing them all.
          const isClosed = !deferred && (closed[group] ?? !groups.includes(group));
          return (
            <section key={group} className="palette-group">
              <button className="palette-group-head" onClick={() => setClosed({ ...closed, [group]: !isClosed })}
                aria-expanded={!isClosed}>
                <span>{isClosed ? "▸" : "▾"} {group}</span><span className="muted">{list.length}</span>
              </button>
              {!isClosed && <ul>{list.map((spec) => <PaletteItem key={spec.type} spec={spec} />)}</ul>}
            </section>
          );
        })}
        {!grouped.length && <p className="muted">No node matches "{deferred}".</p>}
      </div>
    </aside>
  );
}
