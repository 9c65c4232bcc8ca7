/** Node icons by the catalogue's icon name: plain glyphs, no icon font to download. */
const ICONS: Record<string, string> = {
  play: "▶", globe: "🌐", split: "⑂", switch: "⇶", map: "⇄", filter: "⏷", clock: "⏰", webhook: "⚡",
  merge: "⋈", loop: "↻", wait: "⏸", stop: "■", sort: "⇅", limit: "⇥", aggregate: "Σ", dedupe: "≡",
  alert: "🔔", slack: "#", mail: "✉", file: "🗎", data: "▦", code: "{}", workflow: "⧉", reply: "↩",
  error: "⚠", noop: "○", list: "☰", ghl: "H", "arrow-right": "→", enter: "↳", hourglass: "⌛",
  "split-out": "⋔", subflow: "⧉",
};

export function iconFor(name: string | undefined, title: string): string {
  if (name && ICONS[name]) return ICONS[name];
  return (title.trim()[0] ?? "?").toUpperCase();
}
