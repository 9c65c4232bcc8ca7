import { describe, expect, it } from "vitest";
import { isNote, toDocument, toFlow } from "../src/store/convert";
import { sampleDoc } from "./fixtures";

describe("document <-> React Flow", () => {
  it("round-trips a document unchanged", () => {
    const doc = sampleDoc();
    const { nodes, edges } = toFlow(doc);
    expect(toDocument(doc, nodes, edges)).toEqual(doc);
  });

  it("makes notes into note nodes behind the steps", () => {
    const { nodes } = toFlow(sampleDoc());
    const note = nodes.find(isNote)!;
    expect(note.id).toBe("note:n1");
    expect(note.zIndex).toBe(-1);
    expect([note.width, note.height]).toEqual([200, 100]);
  });

  it("lays out nodes that come without a position, left to right along the edges", () => {
    const doc = sampleDoc();
    for (const node of doc.nodes) delete node.position;
    doc.edges = [{ from: doc.nodes[0].id, to: doc.nodes[1].id }];
    const { nodes } = toFlow(doc);
    const steps = nodes.filter((n) => !isNote(n));
    const spots = new Set(steps.map((n) => `${n.position.x},${n.position.y}`));
    expect(spots.size).toBe(steps.length); // none stacked on another
    const [first, second] = doc.nodes.map((d) => steps.find((n) => n.id === d.id)!);
    expect(second.position.x).toBeGreaterThan(first.position.x);
  });

  it("names ports on edges, main by default", () => {
    const doc = sampleDoc();
    doc.edges = [{ from: "start", to: "check" }];
    const { edges } = toFlow(doc);
    expect(edges[0]).toMatchObject({ source: "start", target: "check", sourceHandle: "main", targetHandle: "main" });
  });

  it("drops edges and pinned data of nodes that are gone, and rounds positions", () => {
    const doc = sampleDoc();
    const { nodes, edges } = toFlow(doc);
    const kept = nodes.filter((n) => n.id !== "start").map((n) => ({ ...n, position: { x: n.position.x + 0.4, y: n.position.y } }));
    const out = toDocument(doc, kept, edges);
    expect(out.nodes.map((n) => n.id)).toEqual(["check", "call"]);
    expect(out.edges).toEqual([{ from: "check", to: "call", from_port: "true", to_port: "main" }]);
    expect(out.pinned).toBeUndefined();
    expect(out.nodes[0].position).toEqual([280, 0]);
  });
});
