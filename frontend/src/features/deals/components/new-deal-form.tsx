import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorMessage } from "@/components/ui/error-message";
import { Field } from "@/components/ui/field";
import { useCreateDeal } from "../api/create-deal";
import type { Pipeline } from "../types";

const schema = z.object({
  title: z.string().trim().min(1, "Give the deal a title.").max(300),
  amount: z.string().trim().regex(/^\d{1,12}(\.\d{1,2})?$/, "Enter an amount like 1250 or 1250.50."),
  currency: z.string().trim().regex(/^[A-Za-z]{3}$/, "Use a three-letter currency code, e.g. EUR."),
  stage_id: z.string().min(1),
  expected_close_date: z.string().optional(),
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
  const openStages = pipeline.stages.filter((s) => s.kind === "open");
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { title: defaultTitle, amount: "0", currency: "EUR", stage_id: openStages[0]?.id ?? "", expected_close_date: "" },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (v) => {
    try {
      await create.mutateAsync({
        title: v.title, amount: v.amount, currency: v.currency.toUpperCase(), pipeline_id: pipeline.id, stage_id: v.stage_id,
        expected_close_date: v.expected_close_date || null, contact_id: contactId ?? null, company_id: companyId ?? null,
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
        <Field label="Amount" error={errors.amount?.message}><input type="text" inputMode="decimal" {...form.register("amount")} /></Field>
        <Field label="Currency" error={errors.currency?.message}><input type="text" maxLength={3} {...form.register("currency")} /></Field>
        <Field label="Stage">
          <select {...form.register("stage_id")}>
            {openStages.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        </Field>
        <Field label="Expected close"><input type="date" {...form.register("expected_close_date")} /></Field>
      </div>
      {create.error && <ErrorMessage error={create.error} />}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={form.formState.isSubmitting}>Create deal</button>
        <button type="button" className="button button-ghost" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
