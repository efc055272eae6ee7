// The show/hide toggle of password fields: a checkbox (the DSFR's own password field does the same).

import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";

export function PasswordVisibility({
  id,
  visible,
  onChange,
  label,
}: {
  id: string;
  visible: boolean;
  onChange: (visible: boolean) => void;
  label: string;
}) {
  return (
    <Checkbox
      id={id}
      small
      className="fr-mb-3w"
      options={[{ label, nativeInputProps: { checked: visible, onChange: (event) => onChange(event.target.checked) } }]}
    />
  );
}
