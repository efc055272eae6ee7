import { describe, expect, it } from "vitest";
import { autosave, canRetry, initialSave, needsSave, statusText, type FieldSave, type SaveEvent } from "./autosave";

const run = (state: FieldSave, ...events: SaveEvent[]) => events.reduce(autosave, state);
const SITE = "https://mes-aides.gouv.fr";

describe("autosave of a link", () => {
  it("waits for an edit, saves it once, and says so", () => {
    let state = initialSave("");
    expect(needsSave(state)).toBe(false);
    expect(statusText(state)).toBe("");
    state = autosave(state, { type: "edited", value: SITE });
    expect(state.status).toBe("pending");
    expect(needsSave(state)).toBe(true);
    state = autosave(state, { type: "started", value: SITE });
    expect(statusText(state)).toBe("Enregistrement…");
    expect(needsSave(state)).toBe(false);
    state = autosave(state, { type: "succeeded", value: SITE });
    expect(statusText(state)).toBe("Enregistré");
    expect(needsSave(state)).toBe(false);
  });

  it("saves an edit made during a save after that save", () => {
    const state = run(
      initialSave(""),
      { type: "edited", value: "https://mes-aides.gouv" },
      { type: "started", value: "https://mes-aides.gouv" },
      { type: "edited", value: SITE },
    );
    expect(state.status).toBe("saving");
    expect(needsSave(state)).toBe(false);
    const after = autosave(state, { type: "succeeded", value: "https://mes-aides.gouv" });
    expect(after.status).toBe("pending");
    expect(after.saved).toBe("https://mes-aides.gouv");
    expect(needsSave(after)).toBe(true);
  });

  it("keeps the server's refusal on the field until the next edit, without retrying it", () => {
    const failure = { message: "« mes-aides » n'est pas une adresse web valide.", invalid: true };
    let state = run(initialSave(""), { type: "edited", value: "mes-aides" }, { type: "started", value: "mes-aides" });
    state = autosave(state, { type: "failed", value: "mes-aides", failure });
    expect(state.status).toBe("failed");
    expect(state.failure).toEqual(failure);
    expect(canRetry(state)).toBe(false);
    expect(needsSave(state)).toBe(false);
    expect(statusText(state)).toBe("Non enregistré : corrigez l'adresse.");
    state = autosave(state, { type: "edited", value: SITE });
    expect(state.failure).toBeNull();
    expect(state.status).toBe("pending");
  });

  it("offers a retry when the server could not be reached", () => {
    const failure = { message: "Le service est momentanément indisponible, réessayez dans un instant.", invalid: false };
    const state = run(
      initialSave(""),
      { type: "edited", value: SITE },
      { type: "started", value: SITE },
      { type: "failed", value: SITE, failure },
    );
    expect(canRetry(state)).toBe(true);
    expect(needsSave(state)).toBe(true);
    expect(statusText(state)).toBe("Échec de l'enregistrement");
  });

  it("ignores a refusal of a value the field no longer holds", () => {
    const failure = { message: "x", invalid: true };
    const state = run(
      initialSave(""),
      { type: "edited", value: "htt" },
      { type: "started", value: "htt" },
      { type: "edited", value: SITE },
      { type: "failed", value: "htt", failure },
    );
    expect(state.status).toBe("pending");
    expect(state.failure).toBeNull();
    expect(needsSave(state)).toBe(true);
  });

  it("never sends a blank field: a link is replaced, not erased", () => {
    const state = run(initialSave(SITE), { type: "edited", value: "  " });
    expect(state.status).toBe("idle");
    expect(needsSave(state)).toBe(false);
    expect(statusText(state)).toMatch(/conservé/);
  });

  it("going back to the saved value needs no save", () => {
    const state = run(initialSave(SITE), { type: "edited", value: `${SITE}/x` }, { type: "edited", value: SITE });
    expect(state.status).toBe("idle");
    expect(needsSave(state)).toBe(false);
  });

  it("takes a reloaded value only when the field holds no edit", () => {
    const fresh = autosave(initialSave(""), { type: "loaded", value: SITE });
    expect(fresh.value).toBe(SITE);
    const editing = run(initialSave(""), { type: "edited", value: "https://a.fr" }, { type: "loaded", value: SITE });
    expect(editing.value).toBe("https://a.fr");
    expect(editing.saved).toBe(SITE);
  });
});
