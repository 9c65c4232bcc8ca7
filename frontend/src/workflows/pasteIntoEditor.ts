/** Pasting or dropping JSON into the open workflow: Flowlane's own nodes go in as they are;
 *  an n8n export is converted by the server first (nothing is saved) and its nodes go in. */
import { n8nApi } from "../api/n8n";
import { toast } from "../components/toast";
import { isN8nExport } from "../lib/n8n";
import { editorStore } from "../store/editor";

export async function pasteIntoEditor(text: string, source: string, at?: { x: number; y: number }): Promise<boolean> {
  let data: unknown = null;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON: paste() says so below
  }
  if (data !== null && isN8nExport(data)) {
    try {
      const { document, report } = await n8nApi.convert(data);
      if (!editorStore.getState().paste(JSON.stringify(document), at)) throw new Error("it has no nodes");
      const attention = report.summary.needs_attention;
      toast(`Pasted ${report.summary.nodes} nodes converted from n8n` +
        (attention ? `; ${attention} need${attention === 1 ? "s" : ""} attention (see Problems)` : ""), attention ? "info" : "success");
      return true;
    } catch (err) {
      toast(`Could not paste the n8n nodes of ${source}: ${(err as Error).message}`, "error");
      return false;
    }
  }
  if (editorStore.getState().paste(text, at)) {
    toast(`Pasted the nodes of ${source}`, "success");
    return true;
  }
  toast(`${source[0].toUpperCase()}${source.slice(1)} holds no workflow nodes.`, "error");
  return false;
}
