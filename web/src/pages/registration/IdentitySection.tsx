import { TextField, type FormBinding } from "./fields";

/** Who registers: the address (unless signed in: the session's is used) and the name. */
export function IdentitySection({ form, signedInEmail }: { form: FormBinding; signedInEmail: string | null }) {
  return (
    <section aria-labelledby="inscription-vous" className="fr-mb-4w">
      <h2 id="inscription-vous" className="fr-h4">
        Vous
      </h2>
      {signedInEmail === null ? (
        <TextField
          form={form}
          field="email"
          label="Adresse électronique"
          hint="Votre adresse professionnelle de préférence. Format attendu : nom@domaine.fr"
          type="email"
          autoComplete="email"
          inputMode="email"
        />
      ) : (
        <p>
          Vous êtes connecté·e : l'inscription est faite avec votre adresse <strong>{signedInEmail}</strong>.
        </p>
      )}
      <TextField form={form} field="displayName" label="Prénom et nom" hint="Tels qu'ils figureront sur le certificat." autoComplete="name" />
    </section>
  );
}
