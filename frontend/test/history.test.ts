import { describe, expect, it } from "vitest";
import { LIMIT, emptyHistory, push, redo, undo } from "../src/store/history";

describe("undo history", () => {
  it("undoes back through the past and redoes forward", () => {
    let h = emptyHistory<number>();
    h = push(h, 1);
    h = push(h, 2);
    const u1 = undo(h, 3)!;
    expect(u1.state).toBe(2);
    const u2 = undo(u1.history, u1.state)!;
    expect(u2.state).toBe(1);
    const r1 = redo(u2.history, u2.state)!;
    expect(r1.state).toBe(2);
    expect(undo(emptyHistory<number>(), 0)).toBeNull();
    expect(redo(emptyHistory<number>(), 0)).toBeNull();
  });

  it("keeps at most LIMIT steps", () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < LIMIT + 10; i += 1) h = push(h, i);
    expect(h.past).toHaveLength(LIMIT);
    expect(h.past[0]).toBe(10);
  });
});
