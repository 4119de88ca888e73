import { Field } from "@/components/ui/field";
import type { TemplateField, TemplateValues } from "../template-logic";

interface Props {
  fields: TemplateField[];
  values: TemplateValues;
  onChange: (key: string, value: string) => void;
  /** The API's word on a field, by field key (a 422's `errors`). */
  errors: Record<string, string>;
}

/** One input per value the chosen template needs: header, body parameters (by number or name), URL ends. */
export function TemplateFields({ fields, values, onChange, errors }: Props) {
  if (fields.length === 0) return null;
  return (
    <fieldset className="template-parameters">
      <legend>Fill in the template</legend>
      {fields.map((f) => (
        <Field key={f.key} label={f.label} hint={f.hint} error={errors[f.key]}>
          <input value={values[f.key] ?? ""} maxLength={f.maxLength} placeholder={f.example}
            inputMode={f.kind === "link" ? "url" : undefined}
            onChange={(e) => onChange(f.key, e.target.value)} />
        </Field>
      ))}
    </fieldset>
  );
}
