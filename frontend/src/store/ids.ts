/** Unique node ids and names: ids are slugs of the title, names the title with a number. */

export function slug(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
  return s || "node";
}

export function uniqueId(base: string, taken: Set<string>): string {
  const root = slug(base);
  if (!taken.has(root)) return root;
  for (let i = 2; ; i += 1) {
    const candidate = `${root}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  const root = base.replace(/ \d+$/, "");
  for (let i = 2; ; i += 1) {
    const candidate = `${root} ${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
