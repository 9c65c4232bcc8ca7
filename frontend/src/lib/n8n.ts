/** Recognising an n8n workflow export among the JSON people import. */

/** The workflow object inside what n8n exports: a workflow, a one-workflow list, or its
 *  REST API's `{ "data": workflow }` (the server reads the same shapes). */
function unwrap(data: unknown): unknown {
  if (Array.isArray(data) && data.length === 1) data = data[0];
  if (data && typeof data === "object" && !Array.isArray(data)) {
    const inner = (data as Record<string, unknown>).data;
    if (!("nodes" in data) && inner && typeof inner === "object") return inner;
  }
  return data;
}

/** Whether parsed JSON is an n8n export: `nodes` with n8n's types and a `connections` object. */
export function isN8nExport(data: unknown): boolean {
  // Several workflows in one file: the server says to import them one at a time.
  if (Array.isArray(data) && data.length > 1) return data.every(isN8nExport);
  const workflow = unwrap(data);
  if (!workflow || typeof workflow !== "object" || Array.isArray(workflow)) return false;
  const { nodes, connections, format } = workflow as Record<string, unknown>;
  if (format !== undefined || !Array.isArray(nodes)) return false;
  if (!connections || typeof connections !== "object" || Array.isArray(connections)) return false;
  const typeOf = (node: unknown) => (node as { type?: unknown } | null)?.type;
  // n8n's own nodes, its LangChain nodes, and community packages ("n8n-nodes-<name>.<node>").
  if (nodes.some((node) => { const t = typeOf(node); return typeof t === "string" && /(^|\/)n8n-nodes-|^@n8n\//.test(t); })) {
    return true;
  }
  return nodes.length > 0 && nodes.every((node) => typeof typeOf(node) === "string" &&
    typeof (node as { typeVersion?: unknown }).typeVersion === "number");
}
