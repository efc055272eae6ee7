// Every error a person reads comes from here: a GraphQL `extensions.code` (api/src/error.rs,
// module `code`) becomes a French sentence. Where the API's own French message is the best
// sentence (it names the field, the dates, the missing items…), it is shown; otherwise a fixed
// sentence is. A raw message (no code, an unknown code, a network error's text) is never shown.

/** What urql's `CombinedError` and `upload.ts`'s `UploadError` both look like. */
export interface ErrorLike {
  graphQLErrors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> | null }>;
  networkError?: unknown;
}

export const SERVICE_UNAVAILABLE_MESSAGE =
  "Le service est momentanément indisponible, réessayez dans un instant.";
export const GENERIC_MESSAGE = "Une erreur est survenue ; réessayez dans un instant.";
/** The code given to a failure without any GraphQL error (no answer, not JSON). */
export const NETWORK_CODE = "NETWORK";

type Rule =
  /** The API's message, which is the best sentence; the fallback when it is empty. */
  | { api: true; fallback: string }
  /** Always this sentence. */
  | { api: false; text: string };

const api = (fallback: string): Rule => ({ api: true, fallback });
const text = (sentence: string): Rule => ({ api: false, text: sentence });

const TOKEN_NEW_LINK = "demandez-en un nouveau.";

/** Code → the sentence shown. Keep in step with the code table in docs/ARCHITECTURE.md "Errors". */
export const errorRules: Readonly<Record<string, Rule>> = {
  BAD_USER_INPUT: api("Une des valeurs saisies n'est pas valable : vérifiez le formulaire."),
  UNAUTHENTICATED: api("Vous devez vous connecter."),
  FORBIDDEN: text("Vous n'avez pas le droit de faire cela."),
  NOT_FOUND: api("Cette page ou cet élément est introuvable."),
  CONFLICT: api("Les informations viennent de changer : rechargez la page et recommencez."),
  RATE_LIMITED: text("Trop de tentatives : réessayez dans quelques minutes."),
  TOKEN_INVALID: text(
    `Ce lien n'est pas valable : vérifiez qu'il est complet ou ${TOKEN_NEW_LINK}`,
  ),
  TOKEN_EXPIRED: text(`Ce lien a expiré : ${TOKEN_NEW_LINK}`),
  TOKEN_USED: text(`Ce lien a déjà servi : ${TOKEN_NEW_LINK}`),
  REGISTRATION_CLOSED: api("Les inscriptions ne sont pas ouvertes en ce moment."),
  ALREADY_REGISTERED: text("Vous êtes déjà inscrit·e à cette session."),
  INVALID_TRANSITION: api("Cette action n'est plus possible à ce stade de la candidature."),
  FILE_TOO_LARGE: api("Ce fichier est trop volumineux."),
  FILE_TYPE_REFUSED: api("Ce type de fichier n'est pas accepté."),
  DOSSIER_INCOMPLETE: api("Le dossier est incomplet."),
  DOSSIER_LOCKED: api("Le dossier ne peut plus être modifié."),
  DEADLINE_PASSED: api("La date limite est passée."),
  SLOT_TAKEN: text("Ce créneau vient d'être pris par une autre personne : choisissez-en un autre."),
  SLOT_UNAVAILABLE: api("Ce créneau n'est pas disponible : choisissez-en un autre."),
  SLOT_OVERLAP: api("Ce créneau chevauche un de vos créneaux déjà publiés."),
  ALREADY_BOOKED: text("Un oral est déjà réservé pour cette candidature."),
  TOO_LATE: api("Il est trop tard : un oral ne peut plus être modifié moins de 48 heures avant."),
  ORAL_NOT_HELD: api("L'oral n'a pas encore eu lieu."),
  ORAL_CANCELLED: api("Cet oral a été annulé."),
  EVALUATION_LOCKED: api("L'évaluation est signée : elle ne peut plus être modifiée."),
  EVALUATION_PUBLISHED: api("Le résultat est déjà publié."),
  EVALUATION_NOT_SUBMITTED: api("L'évaluation n'est pas encore signée par tous les membres du jury."),
  DECISION_MISSING: api("Choisissez une décision."),
  EVALUATION_MISSING: api("L'évaluation est vide : indiquez les compétences acquises et une décision."),
  COMPETENCE_MISSING: api("Évaluez chaque compétence."),
  REASON_REQUIRED: api("Indiquez la raison."),
  SIGNATURE_NOT_EXPECTED: api("Aucune signature n'est attendue."),
  GRID_LOCKED: api("La grille de cette session ne peut plus être modifiée."),
  NO_NEXT_SESSION: api("Aucune session suivante n'existe encore."),
  ALREADY_REVOKED: api("Ce certificat est déjà révoqué."),
  CERTIFICATE_REVOKED: api("Ce certificat est révoqué."),
  LETTER_IN_DELIVERY: api("Le courrier est en cours d'envoi."),
  NO_LETTER_CONSENT: api("La personne n'a pas accepté l'envoi du courrier."),
  PAYLOAD_TOO_LARGE: api("L'envoi est trop volumineux."),
  TOO_MANY_FILES: api("Envoyez moins de fichiers à la fois."),
  INTERNAL: text("Une erreur interne est survenue ; réessayez dans un instant."),
  SERVICE_UNAVAILABLE: text(SERVICE_UNAVAILABLE_MESSAGE),
  // The app's own queries are valid: these mean a stale app or a broken request.
  GRAPHQL_PARSE_FAILED: text("La page n'est plus à jour : rechargez-la."),
  GRAPHQL_VALIDATION_FAILED: text("La page n'est plus à jour : rechargez-la."),
  QUERY_TOO_DEEP: text("La page n'est plus à jour : rechargez-la."),
  QUERY_TOO_COMPLEX: text("La page n'est plus à jour : rechargez-la."),
  BAD_REQUEST: text(GENERIC_MESSAGE),
  UNSUPPORTED_MEDIA_TYPE: text(GENERIC_MESSAGE),
  BATCH_NOT_ALLOWED: text(GENERIC_MESSAGE),
  METHOD_NOT_ALLOWED: text(GENERIC_MESSAGE),
  [NETWORK_CODE]: text(SERVICE_UNAVAILABLE_MESSAGE),
};

export interface DescribedError {
  /** The stable code (`NETWORK` when no GraphQL error came back, `UNKNOWN` for an uncoded one). */
  code: string;
  /** The French sentence to show. */
  message: string;
}

function describeOne(code: unknown, apiMessage: string): DescribedError {
  if (typeof code !== "string" || !(code in errorRules)) {
    return { code: typeof code === "string" ? code : "UNKNOWN", message: GENERIC_MESSAGE };
  }
  const rule = errorRules[code] as Rule;
  if (!rule.api) return { code, message: rule.text };
  const message = apiMessage.trim();
  return { code, message: message === "" ? rule.fallback : message };
}

/** The first error of a failed operation, as a code and a French sentence. */
export function describeError(error: ErrorLike): DescribedError {
  const first = error.graphQLErrors?.[0];
  if (first === undefined) return { code: NETWORK_CODE, message: SERVICE_UNAVAILABLE_MESSAGE };
  return describeOne(first.extensions?.code, first.message);
}

/** Every distinct French sentence of a failed operation (a page may show them as a list). */
export function errorMessages(error: ErrorLike): string[] {
  const errors = error.graphQLErrors ?? [];
  if (errors.length === 0) return [SERVICE_UNAVAILABLE_MESSAGE];
  return [...new Set(errors.map((e) => describeOne(e.extensions?.code, e.message).message))];
}

/** The code of the first error (`NETWORK` when nothing came back); for pages that branch on it. */
export function errorCode(error: ErrorLike): string {
  return describeError(error).code;
}

/** Whether trying again later may succeed (the server or the network failed, not the request). */
export function isRetryable(error: ErrorLike): boolean {
  const code = errorCode(error);
  return code === NETWORK_CODE || code === "SERVICE_UNAVAILABLE" || code === "INTERNAL";
}

export const TOKEN_CODES = ["TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_USED"] as const;

/** Whether the error is about an emailed link's token (the page offers a new link). */
export function isTokenError(error: ErrorLike): boolean {
  return (TOKEN_CODES as readonly string[]).includes(errorCode(error));
}
