import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { useCreateImport } from "../api/create-import";
import { useCustomFieldTargets } from "../api/get-custom-fields";
import { useImport } from "../api/get-import";
import { type CsvPreview, guessField, previewCsv } from "../csv-preview";
import { DUPLICATE_RULES, IMPORT_FIELDS, type ImportObject } from "../types";
import { ImportProgress } from "./import-progress";

const CUSTOM_FIELD_OBJECT = { contacts: "contact", companies: "company", deals: "deal" } as const;

/** The cached lists that show what an import creates (the deals board is cached per pipeline). */
const LISTS: Record<ImportObject, string[][]> = {
  contacts: [["contacts"]],
  companies: [["companies"]],
  deals: [["deals"], ["pipelines"]],
};

interface Props {
  objectType: ImportObject;
  onClose: () => void;
}

/** Choose a CSV, check its columns and first rows, map columns to fields, then watch the job. */
export function ImportPanel({ objectType, onClose }: Props) {
  const custom = useCustomFieldTargets(CUSTOM_FIELD_OBJECT[objectType]);
  // The admin's custom fields are columns too (`cf.<key>`), matched by their label.
  const fields: Record<string, string> = {
    ...IMPORT_FIELDS[objectType],
    ...custom.data,
  };
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const start = useCreateImport();
  const importId = start.data?.id;
  const job = useImport(importId);
  const queryClient = useQueryClient();
  const finished = job.data?.status === "done" || job.data?.status === "failed";

  // New records appear in the list behind the panel once the job ends.
  useEffect(() => {
    if (finished) LISTS[objectType].forEach((queryKey) => queryClient.invalidateQueries({ queryKey }));
  }, [finished, objectType, queryClient]);

  const choose = async (chosen: File | undefined) => {
    setFile(chosen ?? null);
    setPreview(null);
    setReadError(null);
    start.reset();
    if (!chosen) return;
    try {
      const read = await previewCsv(chosen);
      if (!read.columns.some(Boolean)) throw new Error("no header");
      setPreview(read);
      setMapping(Object.fromEntries(read.columns.map((c) => [c, guessField(c, fields)])));
    } catch {
      setReadError("We couldn't read a header row from this file. Save it as CSV (UTF-8) with the column names on the first line.");
    }
  };

  const chosenMapping = Object.fromEntries(Object.entries(mapping).filter(([, field]) => field));
  const used = Object.values(chosenMapping);
  const twice = used.find((field, i) => used.indexOf(field) !== i);

  return (
    <section className="card" aria-label={`Import ${objectType}`}>
      <h2>Import {objectType} from a CSV file</h2>
      {!importId && (
        <>
          <label className="field">
            CSV file
            <input type="file" accept=".csv,text/csv" onChange={(e) => choose(e.target.files?.[0])} />
          </label>
          <p className="field-hint">UTF-8, a header row, at most 10 MB and 100,000 rows. {DUPLICATE_RULES[objectType]}</p>
          {readError && <p className="error-message" role="alert">{readError}</p>}
        </>
      )}
      {preview && file && !importId && (
        <>
          <div className="table-wrap">
          <table className="data-table" aria-label="Columns and first rows">
            <thead>
              <tr>{preview.columns.map((c, i) => <th key={i} scope="col">{c}</th>)}</tr>
              <tr>
                {preview.columns.map((c, i) => (
                  <td key={i}>
                    <select aria-label={`Field for ${c}`} value={mapping[c] ?? ""}
                      onChange={(e) => setMapping((m) => ({ ...m, [c]: e.target.value }))}>
                      <option value="">Don't import</option>
                      {c.startsWith("cf.") && !(c in fields) && <option value={c}>Custom field {c.slice(3)}</option>}
                      {Object.entries(fields).map(([field, label]) => <option key={field} value={field}>{label}</option>)}
                    </select>
                  </td>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row, r) => (
                <tr key={r}>{preview.columns.map((_, i) => <td key={i}>{row[i] ?? ""}</td>)}</tr>
              ))}
            </tbody>
          </table>
          </div>
          {used.length === 0 && <p role="alert">Choose a field for at least one column.</p>}
          {twice && <p role="alert">Two columns go to “{fields[twice] ?? twice}”; choose one.</p>}
          {start.error && <ErrorMessage error={start.error} />}
          <div className="page-actions">
            <button type="button" className="button button-primary" disabled={used.length === 0 || Boolean(twice) || start.isPending}
              onClick={() => start.mutate({ file, objectType, mapping: chosenMapping })}>
              {start.isPending ? "Uploading…" : "Start import"}
            </button>
            <button type="button" className="button button-secondary" onClick={onClose}>Cancel</button>
          </div>
        </>
      )}
      {importId && <ImportProgress importId={importId} />}
      {importId && finished && (
        <div className="page-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>Close</button>
        </div>
      )}
      {!preview && !importId && (
        <div className="page-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>Cancel</button>
        </div>
      )}
    </section>
  );
}
