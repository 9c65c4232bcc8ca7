/** The dashboard's filters live in the URL: /dashboards?pipeline=...&owner=... (and table=, when
 *  not the Opportunities table). */
import type { DashboardFilters } from "../api/dashboards";

export const DEFAULT_TABLE = "Opportunities";

export function parseDashboardFilters(search: string): DashboardFilters {
  const params = new URLSearchParams(search);
  return { table: params.get("table") || DEFAULT_TABLE, pipeline: params.get("pipeline") ?? "", owner: params.get("owner") ?? "" };
}

export function dashboardUrl(filters: DashboardFilters): string {
  const params = new URLSearchParams();
  if (filters.table !== DEFAULT_TABLE) params.set("table", filters.table);
  if (filters.pipeline) params.set("pipeline", filters.pipeline);
  if (filters.owner) params.set("owner", filters.owner);
  const text = params.toString();
  return `/dashboards${text ? `?${text}` : ""}`;
}
