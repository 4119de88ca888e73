import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useCreateCustomField, useUpdateCustomField } from "../api/custom-fields";
import { keyFromLabel } from "../custom-field-logic";
import { FIELD_TYPE_LABELS, type CustomField, type FieldType, type ObjectType } from "../types";

const lines = (text: string) => [...new Set(text.split("\n").map((l) => l.trim()).filter(Boolean))];

const schema = z
  .object({
    label: z.string().trim().min(1, "Give the field a label.").max(200),
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,63}$/, "Lower-case letters, digits and _, starting with a letter."),
    field_type: z.enum(["text", "number", "date", "boolean", "select"]),
    options: z.string(),
    required: z.boolean(),
    position: z.string().regex(/^\d{1,4}$/, "A whole number, e.g. 10."),
  })
  .superRefine((v, ctx) => {
    if (v.field_type === "select" && lines(v.options).length === 0) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "A choice needs at least one option." });
    }
    if (lines(v.options).some((o) => o.length > 200)) ctx.addIssue({ code: "custom", path: ["options"], message: "Options are at most 200 characters." });
  });
type Values = z.infer<typeof schema>;

interface Props {
  objectType: ObjectType;
  /** The field being edited; none for a new one. Type and key are fixed once created. */
  field?: CustomField;
  onDone: (saved: CustomField) => void;
  onCancel: () => void;
}

export function CustomFieldForm({ objectType, field, onDone, onCancel }: Props) {
  const create = useCreateCustomField();
  const update = useUpdateCustomField(field?.id ?? "");
  const save = field ? update : create;
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: {
      label: field?.label ?? "", key: field?.key ?? "", field_type: field?.field_type ?? "text",
      options: (field?.options ?? []).map(String).join("\n"), required: field?.required ?? false, position: String(field?.position ?? 0),
    },
  });
  const { errors, isSubmitting, dirtyFields } = form.formState;
  const type = form.watch("field_type");

  const submit = form.handleSubmit(async (v) => {
    const options = v.field_type === "select" ? lines(v.options) : [];
    const saved = field
      ? await update.mutateAsync({ label: v.label, required: v.required, position: Number(v.position), ...(field.field_type === "select" ? { options } : {}) }).catch(() => null)
      : await create.mutateAsync({ object_type: objectType, key: v.key, label: v.label, field_type: v.field_type as FieldType, options, required: v.required, position: Number(v.position) }).catch(() => null);
    if (saved) onDone(saved);
  });

  return (
    <form className="record-form" onSubmit={submit} noValidate aria-label={field ? `Edit ${field.label}` : "New custom field"}>
      <div className="form-grid">
        <Field label="Label" error={errors.label?.message}>
          <input type="text" autoFocus {...form.register("label", {
            onChange: (event) => { if (!field && !dirtyFields.key) form.setValue("key", keyFromLabel(event.target.value)); },
          })} />
        </Field>
        <Field label="Key" hint={field ? "Fixed once created." : "Its name in the API, imports and filters."} error={errors.key?.message}>
          <input type="text" readOnly={Boolean(field)} {...form.register("key")} />
        </Field>
        <Field label="Type" hint={field ? "Fixed once created." : undefined}>
          {field ? <input type="text" readOnly value={FIELD_TYPE_LABELS[field.field_type]} /> : (
            <select {...form.register("field_type")}>
              {Object.entries(FIELD_TYPE_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
            </select>
          )}
        </Field>
        <Field label="Order" hint="Lower numbers come first." error={errors.position?.message}>
          <input type="text" inputMode="numeric" {...form.register("position")} />
        </Field>
        {type === "select" && (
          <Field label="Options" hint="One per line." error={errors.options?.message}>
            <textarea rows={4} {...form.register("options")} />
          </Field>
        )}
        <label className="checkbox-field"><input type="checkbox" {...form.register("required")} /> Required</label>
      </div>
      {save.error && <ErrorMessage error={save.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>{field ? "Save field" : "Create field"}</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
