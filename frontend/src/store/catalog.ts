/** The node catalogue (GET /api/nodes) and the connection kinds, loaded once per page. */
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import { api } from "../api/client";
import type { CredentialKind, NodeSpec } from "../api/types";
import { setSpecLookup } from "./editor";

interface CatalogState {
  loaded: boolean;
  error: string | null;
  groups: string[];
  specs: NodeSpec[];
  byType: Record<string, NodeSpec>;
  kinds: CredentialKind[];
  load(): Promise<void>;
}

let loading: Promise<void> | null = null;

export const catalogStore = createStore<CatalogState>()((set, get) => ({
  loaded: false,
  error: null,
  groups: [],
  specs: [],
  byType: {},
  kinds: [],
  load() {
    if (get().loaded) return Promise.resolve();
    loading ??= Promise.all([api.catalogue(), api.credentialKinds()])
      .then(([catalogue, kinds]) => {
        const byType = Object.fromEntries(catalogue.nodes.map((n) => [n.type, n]));
        setSpecLookup((type) => byType[type]);
        set({ loaded: true, groups: catalogue.groups, specs: catalogue.nodes, byType, kinds, error: null });
      })
      .catch((err: Error) => {
        loading = null;
        set({ error: err.message });
      });
    return loading;
  },
}));

export function useCatalog<T>(selector: (state: CatalogState) => T): T {
  return useStore(catalogStore, selector);
}

/** Palette search: by title, description, type and group; case and accents ignored. */
export function searchSpecs(specs: NodeSpec[], query: string): NodeSpec[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (!words.length) return specs;
  return specs.filter((spec) => {
    const hay = fold(`${spec.title} ${spec.description} ${spec.type} ${spec.group}`);
    return words.every((w) => hay.includes(w));
  });
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** Specs grouped in the catalogue's group order (groups it does not name come last). */
export function groupSpecs(groups: string[], specs: NodeSpec[]): [string, NodeSpec[]][] {
  const map = new Map<string, NodeSpec[]>();
  for (const g of groups) map.set(g, []);
  for (const spec of specs) {
    if (!map.has(spec.group)) map.set(spec.group, []);
    map.get(spec.group)!.push(spec);
  }
  return [...map].filter(([, list]) => list.length);
}

/** Credential kinds a node accepts: its kind id, or every kind of that family. */
export function acceptedKinds(kinds: CredentialKind[], wanted: string | null): CredentialKind[] {
  if (!wanted) return [];
  return kinds.filter((k) => k.id === wanted || k.family === wanted);
}
