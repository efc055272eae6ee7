// The registration form's values, the checks done before sending (blank or malformed fields
// only: every eligibility rule is the API's), the API input they make, and which field an API
// refusal is about.

import type {
  AgentStatus,
  EmployerType,
  PriorCertification,
  RegistrationInput,
} from "../../gql/graphql";
import { emailProblem, requiredProblem } from "../forms";

export interface RegistrationValues {
  email: string;
  displayName: string;
  employerType: EmployerType | null;
  employerName: string;
  agentStatus: AgentStatus | null;
  joinedProgramme: boolean | null;
  startupName: string;
  incubator: string;
  productSheetUrl: string;
  intrapreneurStart: string;
  intrapreneurEnd: string;
  fullTime: boolean | null;
  accelerationReached: boolean | null;
  priorCertification: PriorCertification | null;
  hrName: string;
  hrEmail: string;
  managerName: string;
  managerEmail: string;
  letterConsent: boolean;
}

export type FieldName = keyof RegistrationValues;
export type Problems = Partial<Record<FieldName, string>>;

export const emptyValues = (displayName = ""): RegistrationValues => ({
  email: "",
  displayName,
  employerType: null,
  employerName: "",
  agentStatus: null,
  joinedProgramme: null,
  startupName: "",
  incubator: "",
  productSheetUrl: "",
  intrapreneurStart: "",
  intrapreneurEnd: "",
  fullTime: null,
  accelerationReached: null,
  priorCertification: null,
  hrName: "",
  hrEmail: "",
  managerName: "",
  managerEmail: "",
  letterConsent: false,
});

/** The fields in the order of the form (the error summary and the focus follow it). */
export const fieldOrder: ReadonlyArray<FieldName> = [
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
  "intrapreneurEnd",
  "fullTime",
  "accelerationReached",
  "priorCertification",
  "hrName",
  "hrEmail",
  "managerName",
  "managerEmail",
  "letterConsent",
];

/** The fields shown as DSFR fieldsets (radio groups, the consent box): focus goes to their first input. */
export const fieldsetFields: ReadonlySet<FieldName> = new Set<FieldName>([
  "employerType",
  "agentStatus",
  "joinedProgramme",
  "fullTime",
  "accelerationReached",
  "priorCertification",
  "letterConsent",
]);

/** The id of a field's input, or of its fieldset. */
export const fieldId = (field: FieldName) => `inscription-${field}`;

/** The element that gets focus for a field: its input, or a fieldset's first input (react-dsfr names it `<id>-0`). */
export const focusId = (field: FieldName) => (fieldsetFields.has(field) ? `${fieldId(field)}-0` : fieldId(field));

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dateProblem(value: string, required: boolean): string | null {
  if (value.trim() === "") return required ? "Indiquez la date, au format jj/mm/aaaa." : null;
  return DATE.test(value) ? null : "Indiquez une date valide, au format jj/mm/aaaa.";
}

function optionalEmailProblem(value: string): string | null {
  return value.trim() === "" ? null : emailProblem(value);
}

const CHOOSE = "Choisissez une réponse.";

/**
 * What to fix before sending, by field (blank, malformed): `signedIn` skips the email, which
 * the API takes from the session.
 */
export function checkValues(values: RegistrationValues, signedIn: boolean): Problems {
  const found: Record<FieldName, string | null> = {
    email: signedIn ? null : emailProblem(values.email),
    displayName: requiredProblem(values.displayName, "vos prénom et nom"),
    employerType: values.employerType === null ? "Choisissez le type de votre employeur." : null,
    employerName: requiredProblem(values.employerName, "le nom de votre employeur"),
    agentStatus: values.agentStatus === null ? "Choisissez votre statut." : null,
    joinedProgramme: values.joinedProgramme === null ? CHOOSE : null,
    startupName: requiredProblem(values.startupName, "le nom de la startup"),
    incubator: requiredProblem(values.incubator, "l'incubateur"),
    productSheetUrl: requiredProblem(values.productSheetUrl, "l'adresse de la fiche produit"),
    intrapreneurStart: dateProblem(values.intrapreneurStart, true),
    intrapreneurEnd: dateProblem(values.intrapreneurEnd, false),
    fullTime: values.fullTime === null ? CHOOSE : null,
    accelerationReached: values.accelerationReached === null ? CHOOSE : null,
    priorCertification: values.priorCertification === null ? CHOOSE : null,
    hrName: null,
    hrEmail: optionalEmailProblem(values.hrEmail),
    managerName: null,
    managerEmail: optionalEmailProblem(values.managerEmail),
    letterConsent: null,
  };
  const problems: Problems = {};
  for (const field of fieldOrder) {
    const problem = found[field];
    if (problem !== null) problems[field] = problem;
  }
  return problems;
}

const orNull = (value: string) => (value.trim() === "" ? null : value.trim());

/** The API input; only call once `checkValues` found nothing (the choices are then made). */
export function toInput(values: RegistrationValues, sessionId: string, signedInEmail: string | null): RegistrationInput {
  const choice = <T>(value: T | null): T => {
    if (value === null) throw new Error("toInput before checkValues");
    return value;
  };
  return {
    sessionId,
    email: signedInEmail ?? values.email.trim(),
    displayName: values.displayName.trim(),
    employerType: choice(values.employerType),
    employerName: values.employerName.trim(),
    agentStatus: choice(values.agentStatus),
    joinedProgramme: choice(values.joinedProgramme),
    startupName: values.startupName.trim(),
    incubator: values.incubator.trim(),
    productSheetUrl: values.productSheetUrl.trim(),
    intrapreneurStart: values.intrapreneurStart,
    intrapreneurEnd: orNull(values.intrapreneurEnd),
    fullTime: choice(values.fullTime),
    accelerationReached: choice(values.accelerationReached),
    priorCertification: choice(values.priorCertification),
    hrContact: { name: orNull(values.hrName), email: orNull(values.hrEmail) },
    managerContact: { name: orNull(values.managerName), email: orNull(values.managerEmail) },
    letterConsent: values.letterConsent,
  };
}

/**
 * The field a `BAD_USER_INPUT` message of `register` is about (api/src/registration.rs words
 * them), or `null` when it names none. Most specific first: the contacts' address errors also
 * mention « adresse électronique ».
 */
export function fieldOfApiMessage(message: string): FieldName | null {
  const text = message.toLowerCase();
  const rules: Array<[string, FieldName]> = [
    ["adresse de la personne des ressources humaines", "hrEmail"],
    ["adresse de votre responsable", "managerEmail"],
    ["pour que le courrier soit envoyé", "hrEmail"],
    ["vos prénom et nom", "displayName"],
    ["nom de votre employeur", "employerName"],
    ["nom de la startup", "startupName"],
    ["l'incubateur", "incubator"],
    ["fiche produit", "productSheetUrl"],
    ["adresse web", "productSheetUrl"],
    ["fin de votre période", "intrapreneurEnd"],
    ["adresse électronique", "email"],
  ];
  return rules.find(([words]) => text.includes(words))?.[1] ?? null;
}

/** How the error summary names each field. */
export const fieldLabels: Readonly<Record<FieldName, string>> = {
  email: "Adresse électronique",
  displayName: "Prénom et nom",
  employerType: "Type d'employeur",
  employerName: "Nom de votre employeur",
  agentStatus: "Statut",
  joinedProgramme: "Programme beta.gouv.fr",
  startupName: "Nom de la startup",
  incubator: "Incubateur",
  productSheetUrl: "Fiche produit",
  intrapreneurStart: "Début comme intrapreneur",
  intrapreneurEnd: "Fin comme intrapreneur",
  fullTime: "Temps de travail sur la startup",
  accelerationReached: "Phase d'accélération",
  priorCertification: "Certification antérieure",
  hrName: "Nom du contact des ressources humaines",
  hrEmail: "Adresse du contact des ressources humaines",
  managerName: "Nom de votre responsable",
  managerEmail: "Adresse de votre responsable",
  letterConsent: "Courrier à votre administration",
};
