/** The pipeline dashboard and its published links (server/api/dashboards.py, server/dashboards.py). */
import { call } from "./client";

export interface FunnelStage { stage: string; count: number; value: number; weighted: number }
export interface OwnerValue { owner: string; count: number; value: number }
export interface WonLostMonth { month: string; won_count: number; won_value: number; lost_count: number; lost_value: number }
export interface ForecastMonth { month: string; count: number; value: number; weighted: number }

export interface PipelineDashboard {
  filters: { pipeline: string | null; owner: string | null };
  totals: {
    count: number; open_count: number; open_value: number; won_count: number; won_value: number;
    lost_count: number; lost_value: number; weighted_forecast: number;
  };
  funnel: FunnelStage[];
  by_owner: OwnerValue[];
  won_lost: WonLostMonth[];
  forecast_by_month: ForecastMonth[];
  choices: { pipelines: string[]; owners: string[] };
  /** Names for the ids, from the HighLevel connections (an id without one shows as is). */
  names?: { owners: Record<string, string>; pipelines: Record<string, string> };
  generated_at: string;
}

export interface PublishedLink {
  id: number;
  title: string;
  url: string;
  created_at: string;
  expires_at: string | null;
  run_id: number | null;
}

export interface DashboardFilters {
  table: string;
  pipeline: string;
  owner: string;
}

function query(filters: DashboardFilters): string {
  const params = new URLSearchParams({ table: filters.table });
  if (filters.pipeline) params.set("pipeline", filters.pipeline);
  if (filters.owner) params.set("owner", filters.owner);
  return params.toString();
}

export const dashboardsApi = {
  pipeline: (filters: DashboardFilters) =>
    call<PipelineDashboard>("GET", `/api/dashboards/pipeline?${query(filters)}`),
  publish: (filters: DashboardFilters, title: string, expiresDays: number | null) =>
    call<PublishedLink>("POST", "/api/dashboards/publish", {
      table: filters.table, title, ...(filters.pipeline ? { pipeline: filters.pipeline } : {}),
      ...(filters.owner ? { owner: filters.owner } : {}), ...(expiresDays ? { expires_days: expiresDays } : {}),
    }),
  published: () => call<{ published: PublishedLink[] }>("GET", "/api/dashboards/published").then((r) => r.published),
  revoke: (id: number) => call<void>("DELETE", `/api/dashboards/published/${id}`),
};
