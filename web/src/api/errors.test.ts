import { describe, expect, it } from "vitest";
import {
  GENERIC_MESSAGE,
  SERVICE_UNAVAILABLE_MESSAGE,
  describeError,
  errorMessages,
  errorRules,
  isRetryable,
  isTokenError,
} from "./errors";

const gql = (code: string | undefined, message: string) => ({
  graphQLErrors: [{ message, extensions: code === undefined ? {} : { code } }],
});

describe("errors", () => {
  it("shows the API's sentence where it is the best one", () => {
    const message = "Le dossier est incomplet : il manque le lien vers la fiche produit.";
    expect(describeError(gql("DOSSIER_INCOMPLETE", message))).toEqual({ code: "DOSSIER_INCOMPLETE", message });
    expect(describeError(gql("BAD_USER_INPUT", "La date de fin précède la date de début.")).message).toBe(
      "La date de fin précède la date de début.",
    );
    expect(describeError(gql("SLOT_UNAVAILABLE", "")).message).toBe(
      "Ce créneau n'est pas disponible : choisissez-en un autre.",
    );
  });

  it("uses its own sentence for codes whose message is generic", () => {
    expect(describeError(gql("SLOT_TAKEN", "duplicate key")).message).toMatch(/vient d'être pris/);
    expect(describeError(gql("INTERNAL", "database pool: timeout")).message).not.toMatch(/database/);
  });

  it("never shows a raw message: no code or an unknown code gives the generic sentence", () => {
    expect(describeError(gql(undefined, "thread 'main' panicked")).message).toBe(GENERIC_MESSAGE);
    expect(describeError(gql("SOMETHING_NEW", "raw text")).message).toBe(GENERIC_MESSAGE);
  });

  it("network failures and SERVICE_UNAVAILABLE ask to retry", () => {
    const network = { graphQLErrors: [], networkError: new Error("Failed to fetch") };
    expect(describeError(network)).toEqual({ code: "NETWORK", message: SERVICE_UNAVAILABLE_MESSAGE });
    expect(describeError(gql("SERVICE_UNAVAILABLE", "x")).message).toBe(SERVICE_UNAVAILABLE_MESSAGE);
    expect(isRetryable(network)).toBe(true);
    expect(isRetryable(gql("SERVICE_UNAVAILABLE", ""))).toBe(true);
    expect(isRetryable(gql("BAD_USER_INPUT", ""))).toBe(false);
  });

  it("recognises token refusals", () => {
    for (const code of ["TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_USED"]) expect(isTokenError(gql(code, ""))).toBe(true);
    expect(isTokenError(gql("UNAUTHENTICATED", ""))).toBe(false);
  });

  it("lists distinct sentences", () => {
    const error = { graphQLErrors: [{ message: "", extensions: { code: "FORBIDDEN" } }, { message: "", extensions: { code: "FORBIDDEN" } }] };
    expect(errorMessages(error)).toEqual(["Vous n'avez pas le droit de faire cela."]);
  });

  it("covers every code of the API (api/src/error.rs)", async () => {
    const { readFile } = await import("node:fs/promises");
    const source = await readFile(new URL("../../../api/src/error.rs", import.meta.url), "utf8");
    const codes = [...source.matchAll(/^\s+[A-Za-z]+ => "([A-Z_]+)",$/gm)].map((m) => m[1]);
    expect(codes.length).toBeGreaterThan(20);
    for (const code of codes) expect(Object.keys(errorRules)).toContain(code);
    for (const rule of Object.values(errorRules)) {
      const sentence = rule.api ? rule.fallback : rule.text;
      expect(sentence).toMatch(/^[A-ZÀ-Ü].*[.!]$/);
    }
  });
});
