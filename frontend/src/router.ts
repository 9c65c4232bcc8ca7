/** A small client-side router: history API, route patterns, and a guard for unsaved work. */
import { useSyncExternalStore } from "react";

type Guard = () => boolean;
let guard: Guard | null = null;
const listeners = new Set<() => void>();
let current = window.location.pathname + window.location.search;

function notify(): void {
  current = window.location.pathname + window.location.search;
  listeners.forEach((l) => l());
}

window.addEventListener("popstate", () => {
  if (guard && !guard()) {
    window.history.pushState(null, "", current); // stay where the unsaved work is
    return;
  }
  notify();
});

/** While set, leaving the page asks first (`guard` returns true to allow leaving). */
export function setNavigationGuard(next: Guard | null): void {
  guard = next;
}

export function navigate(to: string, options: { replace?: boolean; force?: boolean } = {}): boolean {
  if (to === current) return true;
  if (!options.force && guard && !guard()) return false;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  notify();
  return true;
}

export function useLocation(): string {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => current,
  );
}

export type Route =
  | { name: "workflows" }
  | { name: "editor"; id: number }
  | { name: "connections" }
  | { name: "settings" }
  | { name: "runs"; id?: number }
  | { name: "data"; id?: number }
  | { name: "dashboards" }
  | { name: "reports" }
  | { name: "notfound" };

export function match(location: string): Route {
  const path = location.split("?")[0].replace(/\/+$/, "") || "/";
  if (path === "/" || path === "/workflows") return { name: "workflows" };
  let m = /^\/workflows\/(\d+)$/.exec(path);
  if (m) return { name: "editor", id: Number(m[1]) };
  if (path === "/connections") return { name: "connections" };
  if (path === "/settings") return { name: "settings" };
  if (path === "/runs") return { name: "runs" };
  m = /^\/runs\/(\d+)$/.exec(path);
  if (m) return { name: "runs", id: Number(m[1]) };
  if (path === "/data") return { name: "data" };
  m = /^\/data\/(\d+)$/.exec(path);
  if (m) return { name: "data", id: Number(m[1]) };
  if (path === "/dashboards") return { name: "dashboards" };
  if (path === "/reports") return { name: "reports" };
  return { name: "notfound" };
}
