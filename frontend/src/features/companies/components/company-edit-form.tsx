import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useUpdateCompany } from "../api/update-company";
import type { Company } from "../types";

const schema = z.object({
  name: z.string().trim().min(1, "Give the company a name.").max(200),
  domain: z.string().trim().max(300),
  industry: z.string().trim().max(100),
  size: z.string().trim().max(50),
  address: z.string().trim().max(1000),
});
type Values = z.infer<typeof schema>;

const toValues = (c: Company): Values => ({
  name: c.name, domain: c.domain ?? "", industry: c.industry ?? "", size: c.size ?? "", address: c.address ?? "",
});

/** The company's own fields; saved against the version on screen. */
export function CompanyEditForm({ company, onDone }: { company: Company; onDone: () => void }) {
  const update = useUpdateCompany(company);
  const form = useForm<Values>({ resolver: zodResolver(schema), values: toValues(company) });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await update.mutateAsync({ name: v.name, domain: v.domain || null, industry: v.industry || null, size: v.size || null, address: v.address || null });
      onDone();
    } catch {
      // update.error is on screen; a 412 has already loaded the other person's version
    }
  });
  return (
    <form className="record-form card" onSubmit={onSubmit} noValidate aria-label="Edit company">
      <div className="form-grid">
        <Field label="Name" error={errors.name?.message}><input type="text" autoFocus {...form.register("name")} /></Field>
        <Field label="Website domain" hint="e.g. example.com" error={errors.domain?.message}><input type="text" {...form.register("domain")} /></Field>
        <Field label="Industry"><input type="text" {...form.register("industry")} /></Field>
        <Field label="Size" hint="e.g. 11-50"><input type="text" {...form.register("size")} /></Field>
        <Field label="Address"><textarea rows={2} {...form.register("address")} /></Field>
      </div>
      {update.error && <ErrorMessage error={update.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Save</button>
        <button type="button" className="button button-ghost" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
