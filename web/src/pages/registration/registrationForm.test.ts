import { describe, expect, it } from "vitest";
import { checkValues, emptyValues, fieldOfApiMessage, focusId, toInput, type RegistrationValues } from "./registrationForm";

const filled: RegistrationValues = {
  ...emptyValues("Camille Martin"),
  email: "camille.martin@example.gouv.fr",
  employerType: "STATE",
  employerName: "Ministère de l'Intérieur",
  agentStatus: "FONCTIONNAIRE",
  joinedProgramme: true,
  startupName: "Démarches simplifiées",
  incubator: "DINUM",
  productSheetUrl: " https://beta.gouv.fr/startups/demarches-simplifiees.html ",
  intrapreneurStart: "2025-01-06",
  fullTime: false,
  accelerationReached: true,
  priorCertification: "NONE",
  hrEmail: "drh@example.gouv.fr",
};

describe("registration form", () => {
  it("an empty form names every required field, in the form's order", () => {
    const problems = checkValues(emptyValues(), false);
    expect(Object.keys(problems)).toEqual([
      "email",
      "displayName",
      "employerType",
      "employerName",
      "agentStatus",
      "joinedProgramme",
      "startupName",
      "incubator",
      "productSheetUrl",
      "intrapreneurStart",
      "fullTime",
      "accelerationReached",
      "priorCertification",
    ]);
  });

  it("a signed-in candidate does not give an email; optional fields are checked only when filled", () => {
    expect(checkValues({ ...filled, email: "" }, true)).toEqual({});
    expect(checkValues({ ...filled, managerEmail: "pas-une-adresse" }, false)).toHaveProperty("managerEmail");
    expect(checkValues({ ...filled, intrapreneurEnd: "2025-13" }, false)).toHaveProperty("intrapreneurEnd");
  });

  it("makes the API input: trimmed, optional fields as null, the session's email when signed in", () => {
    const input = toInput(filled, "s1", null);
    expect(input.productSheetUrl).toBe("https://beta.gouv.fr/startups/demarches-simplifiees.html");
    expect(input.intrapreneurEnd).toBeNull();
    expect(input.hrContact).toEqual({ name: null, email: "drh@example.gouv.fr" });
    expect(input.managerContact).toEqual({ name: null, email: null });
    expect(input.fullTime).toBe(false);
    expect(toInput({ ...filled, email: "" }, "s1", "moi@example.fr").email).toBe("moi@example.fr");
  });

  it("finds the field of the API's refusals (api/src/registration.rs)", () => {
    const cases: Array<[string, string | null]> = [
      ["Indiquez vos prénom et nom (200 caractères au plus).", "displayName"],
      ["Indiquez le nom de votre employeur (200 caractères au plus).", "employerName"],
      ["Indiquez le nom de la startup (200 caractères au plus).", "startupName"],
      ["Indiquez l'incubateur (200 caractères au plus).", "incubator"],
      [
        "La fiche produit doit être une page de beta.gouv.fr, de la forme https://beta.gouv.fr/startups/nom-de-la-startup.html.",
        "productSheetUrl",
      ],
      ["« x » n'est pas une adresse web valide (elle doit commencer par https:// ou http://).", "productSheetUrl"],
      ["Adresse de la personne des ressources humaines : « x » n'est pas une adresse électronique valide.", "hrEmail"],
      ["Adresse de votre responsable : « x » n'est pas une adresse électronique valide.", "managerEmail"],
      [
        "Pour que le courrier soit envoyé à votre administration, indiquez l'adresse de votre service des ressources humaines ou de votre responsable.",
        "hrEmail",
      ],
      ["La fin de votre période d'intrapreneur précède son début.", "intrapreneurEnd"],
      ["« x » n'est pas une adresse électronique valide.", "email"],
      ["Quelque chose d'autre.", null],
    ];
    for (const [message, field] of cases) expect(fieldOfApiMessage(message)).toBe(field);
  });

  it("focuses a fieldset's first input", () => {
    expect(focusId("employerType")).toBe("inscription-employerType-0");
    expect(focusId("email")).toBe("inscription-email");
  });
});
