/** Short messages at the bottom of the screen. */
import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";

export interface Toast {
  id: number;
  text: string;
  kind: "info" | "error" | "success";
}

const store = createStore<{ toasts: Toast[] }>()(() => ({ toasts: [] }));
let next = 1;

export function toast(text: string, kind: Toast["kind"] = "info"): void {
  const id = next++;
  store.setState({ toasts: [...store.getState().toasts, { id, text, kind }] });
  window.setTimeout(() => {
    store.setState({ toasts: store.getState().toasts.filter((t) => t.id !== id) });
  }, kind === "error" ? 7000 : 3500);
}

export function useToasts(): Toast[] {
  return useStore(store, (s) => s.toasts);
}
