import { describe, expect, it } from "vitest";
import { idlePhase } from "./idle";

const MIN = 60_000;

describe("idle sign-out", () => {
  it("warns five minutes before the end, counted a minute early for the server's refresh", () => {
    const last = 1_000_000;
    expect(idlePhase(last + 113 * MIN, last, 120).phase).toBe("active");
    const warning = idlePhase(last + 114 * MIN, last, 120);
    expect(warning).toEqual({ phase: "warning", endsAt: last + 119 * MIN, minutesLeft: 5 });
    expect(idlePhase(last + 118 * MIN + 30_000, last, 120)).toMatchObject({ phase: "warning", minutesLeft: 1 });
    expect(idlePhase(last + 119 * MIN, last, 120).phase).toBe("expired");
  });
});
