import { describe, expect, it } from "vitest";
import { steps } from "../../certification";
import { finalStates, resultStates, stepOfState } from "./progress";

describe("application progress", () => {
  it("places every state but withdrawal on one of the six steps, in order", () => {
    const placed = Object.values(stepOfState).filter((step): step is number => step !== null);
    for (const step of placed) expect(step).toBeGreaterThanOrEqual(1);
    for (const step of placed) expect(step).toBeLessThanOrEqual(steps.length);
    expect(stepOfState.REGISTERED).toBeLessThan(stepOfState.SUBMITTED ?? 0);
    expect(stepOfState.COMPLETE).toBeLessThan(stepOfState.BOOKED ?? 0);
    expect(stepOfState.WITHDRAWN).toBeNull();
  });

  it("offers no withdrawal once a result is out", () => {
    for (const state of resultStates) expect(finalStates.has(state)).toBe(true);
    expect(finalStates.has("BOOKED")).toBe(false);
  });
});
