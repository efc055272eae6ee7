// French names of the API's enums, for display. The API gives French labels where it has them
// (`stateLabel`, `phaseLabel`); these cover the enums it returns bare. Each table is a
// Record over the generated union, so a new enum value fails the type check until named here.

import type {
  AgentStatus,
  ApplicationState,
  Decision,
  EmployerType,
  LetterDeliveryState,
  LetterRecipient,
  OralMode,
  PriorCertification,
} from "./gql/graphql";

export const employerTypeLabels: Readonly<Record<EmployerType, string>> = {
  STATE: "État",
  LOCAL_AUTHORITY: "Collectivité territoriale",
  HOSPITAL: "Hôpital",
  PUBLIC_ESTABLISHMENT: "Établissement public",
  STATE_OPERATOR: "Opérateur de l'État",
  OTHER: "Autre",
};

export const agentStatusLabels: Readonly<Record<AgentStatus, string>> = {
  FONCTIONNAIRE: "Fonctionnaire",
  PUBLIC_LAW_CONTRACT: "Contractuel·le de droit public",
  PRIVATE_LAW_CONTRACT: "Contractuel·le de droit privé",
  NONE: "Je ne suis pas agent public",
};

export const priorCertificationLabels: Readonly<Record<PriorCertification, string>> = {
  NONE: "Aucune",
  NUMA: "Certifié·e par Numa (l'ancien organisme certificateur)",
  CERTIF: "Déjà certifié·e ici (certification des intras de beta.gouv.fr)",
};

/** As schema/src/domain/application_state.rs names them, with a capital (history lines). */
export const applicationStateLabels: Readonly<Record<ApplicationState, string>> = {
  REGISTERED: "Inscription à confirmer",
  ELIGIBLE: "Éligible",
  INELIGIBLE: "Non éligible",
  DOSSIER_IN_PROGRESS: "Dossier en cours",
  SUBMITTED: "Dossier envoyé",
  RETURNED: "Dossier à compléter",
  COMPLETE: "Dossier complet",
  BOOKED: "Oral réservé",
  INTERVIEWED: "Oral passé",
  LAUREATE: "Lauréat·e",
  NOT_CERTIFIED: "Non certifié·e",
  POSTPONED: "Ajourné·e",
  WITHDRAWN: "Désisté·e",
};

export const decisionLabels: Readonly<Record<Decision, string>> = {
  LAUREATE: "Lauréat·e",
  NOT_CERTIFIED: "Non certifié·e",
  POSTPONED: "Ajourné·e",
  ABSENT: "Absent·e",
};

export const oralModeLabels: Readonly<Record<OralMode, string>> = {
  VIDEO: "en visioconférence",
  PHONE: "par téléphone",
};

export const letterRecipientLabels: Readonly<Record<LetterRecipient, string>> = {
  HR: "Direction des ressources humaines (DRH)",
  MANAGER: "Responsable hiérarchique",
};

/** A letter's delivery, without its date (« envoyé le … » adds it). */
export const letterDeliveryLabels: Readonly<Record<LetterDeliveryState, string>> = {
  PENDING: "en attente d'envoi",
  SENDING: "en cours d'envoi",
  SENT: "envoyé",
  DEAD: "échec de l'envoi",
  CANCELLED: "annulé",
  NOT_QUEUED: "en attente d'envoi",
};

/** Options of a radio group or select, in the table's order. */
export function optionsOf<K extends string>(labels: Readonly<Record<K, string>>): Array<{ value: K; label: string }> {
  return (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));
}
