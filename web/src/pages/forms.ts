// Checks of form fields done in the browser before sending, only for what the person can fix
// at once (a blank or malformed field); every rule of the domain stays in the API.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A French sentence when the address is blank or malformed, else `null`. */
export function emailProblem(value: string): string | null {
  const email = value.trim();
  if (email === "") return "Saisissez votre adresse électronique.";
  if (!EMAIL.test(email)) return "Saisissez une adresse électronique valide, au format nom@domaine.fr.";
  return null;
}

/** A French sentence when a required field is blank, else `null`. */
export function requiredProblem(value: string, what: string): string | null {
  return value.trim() === "" ? `Saisissez ${what}.` : null;
}
