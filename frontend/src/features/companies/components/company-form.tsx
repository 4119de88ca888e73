import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useCreateCompany } from "../api/create-company";
import type { Company } from "../types";

const schema = z.object({
  name: z.string().trim().min(1, "Give the company a name.").max(200),
  domain: z.string().trim().max(300),
  industry: z.string().trim().max(100),
});
type Values = z.infer<typeof schema>;

export function CompanyForm({ onCreated, onCancel }: { onCreated: (c: Company) => void; onCancel: () => void }) {
  const create = useCreateCompany();
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: { name: "", domain: "", industry: "" } });
  const onSubmit = form.handleSubmit(async (v) => {
    try {
      onCreated(await create.mutateAsync({ name: v.name, domain: v.domain || null, industry: v.industry || null }));
    } catch {
      // create.error is on screen
    }
  });
  return (
    <form className="record-form" onSubmit={onSubmit} noValidate aria-label="New company">
      <div className="form-grid">
        <Field label="Name" error={form.formState.errors.name?.message}><input type="text" autoFocus {...form.register("name")} /></Field>
        <Field label="Website domain" hint="e.g. example.com"><input type="text" {...form.register("domain")} /></Field>
        <Field label="Industry"><input type="text" {...form.register("industry")} /></Field>
      </div>
      {create.error && <ErrorMessage error={create.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Create company</button>
        <button type="button" className="button button-ghost" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
