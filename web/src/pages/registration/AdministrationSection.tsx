import { agentStatusLabels, employerTypeLabels, optionsOf } from "../../labels";
import { ChoiceField, TextField, yesNo, type FormBinding } from "./fields";

/** The candidate's employer and status, as the eligibility rules need them. */
export function AdministrationSection({ form }: { form: FormBinding }) {
  return (
    <section aria-labelledby="inscription-administration" className="fr-mb-4w">
      <h2 id="inscription-administration" className="fr-h4">
        Votre administration
      </h2>
      <ChoiceField
        form={form}
        field="employerType"
        legend="Type d'employeur"
        choices={optionsOf(employerTypeLabels)}
      />
      <TextField
        form={form}
        field="employerName"
        label="Nom de votre employeur"
        hint="Par exemple : Ministère de l'Intérieur, Département de la Gironde."
        autoComplete="organization"
      />
      <ChoiceField form={form} field="agentStatus" legend="Votre statut" choices={optionsOf(agentStatusLabels)} />
      <ChoiceField
        form={form}
        field="joinedProgramme"
        legend="Avez-vous intégré le programme beta.gouv.fr ?"
        hint="En tant qu'intrapreneur d'une startup d'État ou de territoire accompagnée par un incubateur du réseau."
        choices={yesNo}
        inline
      />
    </section>
  );
}
