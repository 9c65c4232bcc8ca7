/** Pages loaded on first visit (their own chunks), so the editor's bundle does not carry them. */
import { lazy, Suspense, type ComponentType } from "react";

function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Page = lazy(() => load().then((component) => ({ default: component })));
  return function LazyPage(props: P) {
    return (
      <Suspense fallback={<main className="page" aria-busy="true"><p className="muted">Loading…</p></main>}>
        <Page {...props} />
      </Suspense>
    );
  };
}

export const DataPage = lazyPage(() => import("./DataPage").then((m) => m.DataPage));
export const DashboardsPage = lazyPage(() => import("./DashboardsPage").then((m) => m.DashboardsPage));
export const ReportsPage = lazyPage(() => import("./ReportsPage").then((m) => m.ReportsPage));
