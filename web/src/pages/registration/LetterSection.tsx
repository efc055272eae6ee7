import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { fieldId } from "./registrationForm";
import { TextField, type FormBinding } from "./fields";

/** The contacts at the candidate's administration and their consent to the letter. */
export function LetterSection({ form }: { form: FormBinding }) {
  const problem = form.problems.letterConsent;
  return (
    <section aria-labelledby="inscription-courrier" className="fr-mb-4w">
      <h2 id="inscription-courrier" className="fr-h4">
        Courrier à votre administration
      </h2>
      <p>
        Si vous êtes lauréat·e, beta.gouv.fr peut écrire à votre service des ressources humaines et à votre responsable
        hiérarchique, pour que la certification soit valorisée dans votre dossier et lors de votre entretien annuel. Ces
        contacts sont facultatifs ; ils ne servent qu'à ce courrier.
      </p>
      <TextField form={form} field="hrName" label="Contact des ressources humaines : nom (facultatif)" />
      <TextField
        form={form}
        field="hrEmail"
        label="Contact des ressources humaines : adresse électronique (facultatif)"
        hint="Format attendu : nom@domaine.fr"
        type="email"
        inputMode="email"
      />
      <TextField form={form} field="managerName" label="Votre responsable hiérarchique : nom (facultatif)" />
      <TextField
        form={form}
        field="managerEmail"
        label="Votre responsable hiérarchique : adresse électronique (facultatif)"
        hint="Format attendu : nom@domaine.fr"
        type="email"
        inputMode="email"
      />
      <Checkbox
        id={fieldId("letterConsent")}
        legend="Votre accord"
        disabled={form.disabled}
        state={problem === undefined ? "default" : "error"}
        stateRelatedMessage={problem}
        options={[
          {
            label: "J'accepte que beta.gouv.fr informe ces contacts de ma certification si je suis lauréat·e.",
            hintText: "Sans votre accord, aucun courrier n'est envoyé.",
            nativeInputProps: {
              name: "letterConsent",
              checked: form.values.letterConsent,
              onChange: (event) => form.set("letterConsent", event.target.checked),
            },
          },
        ]}
      />
    </section>
  );
}
