// The registration form's field components: a DSFR input or radio group bound to one value of
// the form, with its error tied to it (react-dsfr's `stateRelatedMessage`).

import type { HTMLInputAutoCompleteAttribute, HTMLInputTypeAttribute, ReactNode } from "react";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { fieldId, type FieldName, type Problems, type RegistrationValues } from "./registrationForm";

export interface FormBinding {
  values: RegistrationValues;
  problems: Problems;
  set: <F extends FieldName>(field: F, value: RegistrationValues[F]) => void;
  disabled: boolean;
}

type TextFieldName = { [F in FieldName]: RegistrationValues[F] extends string ? F : never }[FieldName];

export interface TextFieldProps {
  form: FormBinding;
  field: TextFieldName;
  label: ReactNode;
  hint?: ReactNode;
  type?: HTMLInputTypeAttribute;
  autoComplete?: HTMLInputAutoCompleteAttribute;
  inputMode?: "email" | "url" | "text";
}

export function TextField({ form, field, label, hint, type = "text", autoComplete, inputMode }: TextFieldProps) {
  const problem = form.problems[field];
  return (
    <Input
      label={label}
      hintText={hint}
      disabled={form.disabled}
      state={problem === undefined ? "default" : "error"}
      stateRelatedMessage={problem}
      nativeInputProps={{
        id: fieldId(field),
        name: field,
        type,
        autoComplete: autoComplete ?? "off",
        inputMode,
        spellCheck: type === "email" || type === "url" ? false : undefined,
        value: form.values[field],
        onChange: (event) => form.set(field, event.target.value),
        "aria-invalid": problem !== undefined,
      }}
    />
  );
}

export interface Choice<V> {
  value: V;
  label: ReactNode;
  hint?: ReactNode;
}

export interface ChoiceFieldProps<F extends FieldName> {
  form: FormBinding;
  field: F;
  legend: ReactNode;
  hint?: ReactNode;
  choices: ReadonlyArray<Choice<RegistrationValues[F]>>;
  inline?: boolean;
}

export function ChoiceField<F extends FieldName>({ form, field, legend, hint, choices, inline = false }: ChoiceFieldProps<F>) {
  const problem = form.problems[field];
  return (
    <RadioButtons
      id={fieldId(field)}
      name={field}
      legend={legend}
      hintText={hint}
      disabled={form.disabled}
      orientation={inline ? "horizontal" : "vertical"}
      state={problem === undefined ? "default" : "error"}
      stateRelatedMessage={problem}
      options={choices.map((choice) => ({
        label: choice.label,
        hintText: choice.hint,
        nativeInputProps: {
          value: String(choice.value),
          checked: form.values[field] === choice.value,
          onChange: () => form.set(field, choice.value),
        },
      }))}
    />
  );
}

export const yesNo: ReadonlyArray<Choice<boolean | null>> = [
  { value: true, label: "Oui" },
  { value: false, label: "Non" },
];
