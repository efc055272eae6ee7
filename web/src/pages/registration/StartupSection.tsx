import { optionsOf, priorCertificationLabels } from "../../labels";
import { ChoiceField, TextField, yesNo, type FormBinding } from "./fields";

/** The startup and the candidate's role in it: what the eligibility rules judge. */
export function StartupSection({ form }: { form: FormBinding }) {
  return (
    <section aria-labelledby="inscription-startup" className="fr-mb-4w">
      <h2 id="inscription-startup" className="fr-h4">
        Votre startup et votre rôle
      </h2>
      <TextField form={form} field="startupName" label="Nom de la startup" />
      <TextField form={form} field="incubator" label="Incubateur" hint="L'incubateur qui accompagne la startup." />
      <TextField
        form={form}
        field="productSheetUrl"
        label="Fiche produit de la startup"
        hint="Son adresse sur beta.gouv.fr, de la forme https://beta.gouv.fr/startups/<id>.html"
        type="url"
        inputMode="url"
      />
      <TextField
        form={form}
        field="intrapreneurStart"
        label="Début de votre rôle d'intrapreneur"
        hint="Format : jj/mm/aaaa"
        type="date"
      />
      <TextField
        form={form}
        field="intrapreneurEnd"
        label="Fin de votre rôle d'intrapreneur (facultatif)"
        hint="Si vous avez quitté la startup. Format : jj/mm/aaaa"
        type="date"
      />
      <ChoiceField
        form={form}
        field="fullTime"
        legend="Vous avez été intrapreneur…"
        choices={[
          { value: true, label: "à temps plein" },
          { value: false, label: "à temps partiel" },
        ]}
        inline
      />
      <ChoiceField
        form={form}
        field="accelerationReached"
        legend="La startup a-t-elle connu une phase d'accélération ?"
        choices={yesNo}
        inline
      />
      <ChoiceField
        form={form}
        field="priorCertification"
        legend="Avez-vous déjà une certification d'intrapreneur ?"
        choices={optionsOf(priorCertificationLabels)}
      />
    </section>
  );
}
