import { beforeEach, describe, expect, it } from "vitest";
import { isStep } from "../src/store/convert";
import { createEditorStore, setSpecLookup } from "../src/store/editor";
import { http, ifSpec, manual, sampleDoc } from "./fixtures";

const specs = { [manual.type]: manual, [ifSpec.type]: ifSpec, [http.type]: http };

function fresh() {
  setSpecLookup((t) => specs[t]);
  const store = createEditorStore();
  store.getState().load({ id: 1, name: "Sample", active: false, version: 1, active_version: null, created_at: null, updated_at: null, document: sampleDoc() });
  return store;
}

describe("editor store", () => {
  let store: ReturnType<typeof fresh>;
  beforeEach(() => {
    store = fresh();
  });

  it("loads clean, and any edit marks it dirty", () => {
    expect(store.getState().dirty).toBe(false);
    store.getState().rename("call", "Call API");
    expect(store.getState().dirty).toBe(true);
    expect(store.getState().document().nodes[2].name).toBe("Call API");
  });

  it("undoes and redoes every kind of edit", () => {
    const s = () => store.getState();
    const original = s().document();
    s().addNode(http, { x: 900, y: 0 });
    s().setParams("call", { url: "https://y" });
    s().toggleDisabled(["check"]);
    s().onConnect({ source: "call", target: "http_request", sourceHandle: "main", targetHandle: "main" });
    const edited = s().document();
    expect(edited.nodes).toHaveLength(4);
    expect(edited.edges).toHaveLength(3);
    for (let i = 0; i < 4; i += 1) s().undo();
    expect(s().document()).toEqual(original);
    for (let i = 0; i < 4; i += 1) s().redo();
    expect(s().document()).toEqual(edited);
  });

  it("merges typing in one field into one undo step", () => {
    const s = () => store.getState();
    s().setParams("call", { url: "h" }, "params:call:url");
    s().setParams("call", { url: "ht" }, "params:call:url");
    s().setParams("call", { url: "htt" }, "params:call:url");
    s().undo();
    expect(s().document().nodes[2].params).toEqual({ url: "https://x" });
  });

  it("a new edit after undo drops the redo stack", () => {
    const s = () => store.getState();
    s().rename("call", "A");
    s().undo();
    s().rename("call", "B");
    s().redo();
    expect(s().document().nodes[2].name).toBe("B");
  });

  it("adds a node after the selected one and wires its first output", () => {
    const s = () => store.getState();
    const id = s().addNode(http, undefined, "check");
    const doc = s().document();
    expect(id).toBe("http_request");
    expect(doc.edges).toContainEqual({ from: "check", to: id, from_port: "true", to_port: "main" });
    const added = doc.nodes.find((n) => n.id === id)!;
    expect(added.position![0]).toBeGreaterThan(280);
    expect(added.name).toBe("HTTP request");
  });

  it("does not wire into a trigger and keeps names unique", () => {
    const s = () => store.getState();
    const a = s().addNode(manual, undefined, "start");
    const b = s().addNode(manual, { x: 0, y: 500 });
    const doc = s().document();
    expect(doc.edges!.some((e) => e.to === a)).toBe(false);
    expect(doc.nodes.find((n) => n.id === b)!.name).toBe("Manual trigger 2");
  });

  it("removes the selection with its edges in one step", () => {
    const s = () => store.getState();
    s().selectOnly(["check"]);
    s().removeSelected();
    expect(s().document().nodes.map((n) => n.id)).toEqual(["start", "call"]);
    expect(s().document().edges).toEqual([]);
    s().undo();
    expect(s().document().edges).toHaveLength(2);
  });

  it("refuses a rename to a name another node has", () => {
    expect(store.getState().rename("call", "Start")).toMatch(/Another node/);
    expect(store.getState().dirty).toBe(false);
  });

  it("copies the selection as workflow JSON and pastes it with new ids and names", () => {
    const s = () => store.getState();
    s().selectOnly(["check", "call"]);
    const text = s().copySelection()!;
    const clip = JSON.parse(text);
    expect(clip.format).toBe("flowlane/workflow@1");
    expect(clip.nodes.map((n: { id: string }) => n.id)).toEqual(["check", "call"]);
    expect(clip.edges).toEqual([{ from: "check", to: "call", from_port: "true", to_port: "main" }]);
    expect(s().paste(text)).toBe(true);
    const doc = s().document();
    expect(doc.nodes).toHaveLength(5);
    const pasted = doc.nodes.slice(3);
    expect(pasted.map((n) => n.id)).toEqual(["check_2", "call_2"]);
    expect(pasted.map((n) => n.name)).toEqual(["Check 2", "Call 2"]);
    expect(doc.edges).toContainEqual({ from: "check_2", to: "call_2", from_port: "true", to_port: "main" });
    // the pasted nodes are the new selection
    expect(s().selectedIds()).toEqual(["check_2", "call_2"]);
    s().undo();
    expect(s().document().nodes).toHaveLength(3);
  });

  it("pins and unpins a node's output as test data", () => {
    const s = () => store.getState();
    s().setPinned("call", { main: [{ ok: true }] });
    expect(s().document().pinned).toEqual({ start: { main: [{ a: 1 }] }, call: { main: [{ ok: true }] } });
    s().setPinned("call", null);
    s().setPinned("start", null);
    expect(s().document().pinned).toBeUndefined();
  });

  it("auto-layout moves nodes left to right in one undo step", () => {
    const s = () => store.getState();
    const before = s().document();
    s().autoLayout();
    const xs = s().nodes.filter(isStep).map((n) => n.position.x);
    expect(xs[0]).toBeLessThan(xs[1]);
    expect(xs[1]).toBeLessThan(xs[2]);
    s().undo();
    expect(s().document()).toEqual(before);
  });

  it("tracks a test run: queued, then step statuses and counts", () => {
    const s = () => store.getState();
    s().startRun(7);
    expect(s().runStatus.call.status).toBe("queued");
    s().stepEvent("start", { status: "succeeded", counts: { main: 1 } });
    s().runEvent("succeeded");
    expect(s().runStatus).toEqual({ start: { status: "succeeded", counts: { main: 1 } } });
  });
});
