import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useSaveKnowledge } from "../api/knowledge";
import type { Knowledge } from "../types";

const schema = z.object({
  // "Shipping" or "Opening hours" is what people type: kept as the key the API takes (shipping, opening_hours).
  topic: z.string().trim().transform((v) => v.toLowerCase().replace(/[\s-]+/g, "_"))
    .pipe(z.string().regex(/^[a-z0-9_]+$/, "Letters, digits, spaces and _ only, like shipping.").max(40, "At most 40 characters.")),
  title: z.string().trim().min(1, "A title is needed.").max(200, "At most 200 characters."),
  body: z.string().trim().min(1, "The text is needed.").max(4000, "At most 4,000 characters."),
  intents: z.array(z.string()),
});
type Values = z.infer<typeof schema>;

interface Props {
  entry?: Knowledge;
  intents: string[];
  onDone: (saved: Knowledge) => void;
  onCancel: () => void;
}

export function KnowledgeForm({ entry, intents, onDone, onCancel }: Props) {
  const save = useSaveKnowledge(entry?.id);
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { topic: entry?.topic ?? "", title: entry?.title ?? "", body: entry?.body ?? "", intents: entry?.intents ?? [] },
  });
  const { errors, isSubmitting } = form.formState;
  const submit = form.handleSubmit(async (values) => {
    const saved = await save.mutateAsync(values).catch(() => null);
    if (saved) onDone(saved);
  });
  return (
    <form className="knowledge-form" aria-label={entry ? `Edit ${entry.title}` : "New knowledge entry"} onSubmit={submit} noValidate>
      <div className="form-grid">
        <Field label="Topic" error={errors.topic?.message} hint="shipping, returns, opening_hours…"><input type="text" autoFocus {...form.register("topic")} /></Field>
        <Field label="Title" error={errors.title?.message}><input type="text" {...form.register("title")} /></Field>
      </div>
      <Field label="Text" error={errors.body?.message}><textarea rows={4} {...form.register("body")} /></Field>
      <fieldset className="form-section">
        <legend>Quoted for these intents (none: every intent)</legend>
        <div className="intent-choices">
          {intents.map((intent) => (
            <label key={intent} className="checkbox-field"><input type="checkbox" value={intent} {...form.register("intents")} /> {intent.replace(/_/g, " ")}</label>
          ))}
        </div>
      </fieldset>
      {save.error ? <ErrorMessage error={save.error} /> : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={isSubmitting}>{entry ? "Save new version" : "Add entry"}</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
