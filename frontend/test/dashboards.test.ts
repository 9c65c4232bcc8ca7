import { describe, expect, it } from "vitest";
import { DEFAULT_TABLE, dashboardUrl, parseDashboardFilters } from "../src/dashboards/filters";
import { fileKind, formatBytes } from "../src/reports/files";

describe("dashboard filters in the URL", () => {
  it("round-trip, leaving out the default table", () => {
    const filters = { table: DEFAULT_TABLE, pipeline: "p 1", owner: "ann&bo" };
    expect(dashboardUrl(filters)).toBe("/dashboards?pipeline=p+1&owner=ann%26bo");
    expect(parseDashboardFilters(dashboardUrl(filters).split("?")[1])).toEqual(filters);
    expect(dashboardUrl({ table: "Deals", pipeline: "", owner: "" })).toBe("/dashboards?table=Deals");
    expect(parseDashboardFilters("")).toEqual({ table: DEFAULT_TABLE, pipeline: "", owner: "" });
  });
});

describe("report files", () => {
  it("name their kind and size", () => {
    expect(fileKind({ mime: "text/csv", name: "a.csv" })).toBe("CSV");
    expect(fileKind({ mime: "application/pdf", name: "a" })).toBe("PDF");
    expect(fileKind({ mime: "application/octet-stream", name: "data.xlsx" })).toBe("XLSX");
    expect([formatBytes(512), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).toEqual(["512 B", "2.0 KB", "3.0 MB"]);
  });
});
