/** How the Reports page names a file's kind and size. */
import type { ReportFile } from "../api/reports";

export function fileKind(file: Pick<ReportFile, "mime" | "name">): string {
  if (file.mime === "text/csv") return "CSV";
  if (file.mime === "application/pdf") return "PDF";
  const dot = file.name.lastIndexOf(".");
  return dot > 0 ? file.name.slice(dot + 1).toUpperCase() : file.mime;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
