import { describe, expect, it } from "vitest";
import { defaultMode, flow, initialFlow, stepNumber, type Flow, type FlowEvent } from "./flow";
import { dayButtonLabel, modesLabel, slotLabel, whenLabel } from "./format";

const run = (state: Flow, ...events: FlowEvent[]) => events.reduce(flow, state);

describe("booking steps", () => {
  it("books: day, time, recap, done", () => {
    let state = initialFlow(false);
    expect(state.step).toBe("days");
    state = flow(state, { type: "chooseDay", date: "2027-05-18" });
    expect(state).toMatchObject({ step: "times", date: "2027-05-18" });
    state = flow(state, { type: "chooseSlot", slotId: "s1", modes: ["PHONE", "VIDEO"] });
    expect(state).toMatchObject({ step: "recap", slotId: "s1", mode: "VIDEO" });
    state = flow(state, { type: "chooseMode", mode: "PHONE" });
    expect(state.mode).toBe("PHONE");
    expect(flow(state, { type: "booked" }).step).toBe("done");
  });

  it("goes back one step at a time, and from the days to the oral when moving it", () => {
    const recap = run(
      initialFlow(true),
      { type: "start", purpose: "reschedule" },
      { type: "chooseDay", date: "2027-05-18" },
      { type: "chooseSlot", slotId: "s1", modes: ["VIDEO"] },
    );
    const times = flow(recap, { type: "back" });
    expect(times).toMatchObject({ step: "times", date: "2027-05-18", slotId: null });
    const days = flow(times, { type: "back" });
    expect(days).toMatchObject({ step: "days", purpose: "reschedule", date: null });
    expect(flow(days, { type: "back" }).step).toBe("overview");
    // A first booking has nothing before the days.
    expect(flow(initialFlow(false), { type: "back" }).step).toBe("days");
  });

  it("returns to the days when the slot went meanwhile, keeping the purpose", () => {
    const state = run(
      initialFlow(true),
      { type: "start", purpose: "reschedule" },
      { type: "chooseDay", date: "2027-05-18" },
      { type: "chooseSlot", slotId: "s1", modes: ["VIDEO"] },
      { type: "slotGone" },
    );
    expect(state).toEqual({ step: "days", purpose: "reschedule", date: null, slotId: null, mode: null });
  });

  it("offers video first, else the slot's only mode", () => {
    expect(defaultMode(["PHONE", "VIDEO"])).toBe("VIDEO");
    expect(defaultMode(["PHONE"])).toBe("PHONE");
    expect(defaultMode([])).toBeNull();
  });

  it("numbers the choosing steps", () => {
    expect([stepNumber("days"), stepNumber("times"), stepNumber("recap"), stepNumber("done")]).toEqual([1, 2, 3, null]);
  });
});

describe("booking words", () => {
  // 18 May 2027, 10:00 in Paris (summer time, UTC+2).
  const slot = { startsAt: "2027-05-18T08:00:00Z", endsAt: "2027-05-18T09:30:00Z", coachName: "Camille Martin", modes: ["PHONE", "VIDEO"] as const };

  it("reads a day in full, never as a bare number", () => {
    expect(dayButtonLabel("mardi 18 mai 2027", 3)).toBe("mardi 18 mai 2027 — 3 créneaux");
    expect(dayButtonLabel("mardi 18 mai 2027", 1)).toBe("mardi 18 mai 2027 — 1 créneau");
  });

  it("reads a slot in Paris time, with the coach and the modes", () => {
    expect(slotLabel(slot, "Europe/Paris")).toBe(
      "10 h 00 – 11 h 30 (heure de Paris) · avec Camille Martin · visio ou téléphone",
    );
    expect(modesLabel(["PHONE"])).toBe("téléphone");
  });

  it("adds the person's own time when their zone differs", () => {
    expect(slotLabel(slot, "America/Cayenne")).toBe(
      "10 h 00 – 11 h 30 (heure de Paris), soit 5 h 00 à votre heure locale · avec Camille Martin · visio ou téléphone",
    );
    // London is one hour behind Paris in summer too.
    expect(whenLabel(slot.startsAt, slot.endsAt, "Europe/London")).toBe(
      "mardi 18 mai 2027, 10 h 00 – 11 h 30 (heure de Paris), soit 9 h 00 à votre heure locale",
    );
    expect(whenLabel(slot.startsAt, slot.endsAt, "Europe/Berlin")).toBe(
      "mardi 18 mai 2027, 10 h 00 – 11 h 30 (heure de Paris)",
    );
  });
});
