import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Combobox, type ComboOption } from "@/components/ui/combobox";
import { Field } from "@/components/ui/field";
import { useCreateDeal } from "../api/create-deal";
import { useCompanyOptions, useContactOptions } from "../api/search-parties";
import type { Pipeline } from "../types";

const schema = z.object({
  title: z.string().trim().min(1, "Give the deal a title.").max(300),
  amount: z.string().trim().regex(/^\d{1,12}(\.\d{1,2})?$/, "Enter an amount like 1250 or 1250.50."),
  currency: z.string().trim().regex(/^[A-Za-z]{3}$/, "Use a three-letter currency code, e.g. EUR."),
  stage_id: z.string().min(1),
  expected_close_date: z.string().optional(),
  amount_from_line_items: z.boolean(),
});
type Values = z.infer<typeof schema>;

interface Props {
  pipeline: Pipeline;
  contactId?: string;
  companyId?: string;
  defaultTitle?: string;
  onDone: () => void;
}

export function NewDealForm({ pipeline, contactId, companyId, defaultTitle = "", onDone }: Props) {
  const create = useCreateDeal();
  // Pickers only for what the page has not already fixed (a contact's page gives the contact).
  const [contact, setContact] = useState<ComboOption | null>(null);
  const [company, setCompany] = useState<ComboOption | null>(null);
  const [contactText, setContactText] = useState<string | null>(null);
  const [companyText, setCompanyText] = useState<string | null>(null);
  const contactOptions = useContactOptions(contactText ?? "", !contactId && contactText !== null);
  const companyOptions = useCompanyOptions(companyText ?? "", !companyId && companyText !== null);
  const openStages = pipeline.stages.filter((s) => s.kind === "open");
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { title: defaultTitle, amount: "0", currency: "EUR", stage_id: openStages[0]?.id ?? "", expected_close_date: "", amount_from_line_items: false },
  });
  const { errors } = form.formState;
  const fromItems = form.watch("amount_from_line_items");

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await create.mutateAsync({
        title: v.title, amount: v.amount_from_line_items ? "0" : v.amount, amount_from_line_items: v.amount_from_line_items, currency: v.currency.toUpperCase(), pipeline_id: pipeline.id, stage_id: v.stage_id,
        expected_close_date: v.expected_close_date || null, contact_id: contactId ?? contact?.value ?? null, company_id: companyId ?? company?.value ?? null,
      });
      onDone();
    } catch {
      // create.error is on screen
    }
  });

  return (
    <form className="record-form card" onSubmit={onSubmit} noValidate aria-label="New deal">
      <div className="form-grid">
        <Field label="Deal title" error={errors.title?.message}><input type="text" autoFocus {...form.register("title")} /></Field>
        <Field label="Amount" error={fromItems ? undefined : errors.amount?.message}>
          <input type="text" inputMode="decimal" readOnly={fromItems} {...form.register("amount")} />
        </Field>
        <Field label="Currency" error={errors.currency?.message}><input type="text" maxLength={3} {...form.register("currency")} /></Field>
        <Field label="Stage">
          <select {...form.register("stage_id")}>
            {openStages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </Field>
        <Field label="Expected close"><input type="date" {...form.register("expected_close_date")} /></Field>
        {!contactId && (
          <Combobox label="Contact" placeholder="Search by name or email" selected={contact} onSelect={setContact}
            options={contactOptions.options} onSearch={setContactText} loading={contactOptions.loading} />
        )}
        {!companyId && (
          <Combobox label="Company" placeholder="Search by name" selected={company} onSelect={setCompany}
            options={companyOptions.options} onSearch={setCompanyText} loading={companyOptions.loading} />
        )}
        <label className="checkbox-field">
          <input type="checkbox" {...form.register("amount_from_line_items")} /> Amount is the total of its line items
        </label>
      </div>
      {create.error && <ErrorMessage error={create.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Create deal</button>
        <button type="button" className="button button-ghost" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
