/**
 * Reads the start of a CSV in the browser, to show its columns and first rows before the upload.
 * The server reads the whole file again with Python's csv module; this only needs to agree with
 * it on quoted cells (commas and line breaks inside quotes, doubled quotes).
 */

const PREVIEW_BYTES = 64 * 1024;

export interface CsvPreview {
  columns: string[];
  rows: string[][];
}

export function parseCsv(text: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell); cell = ""; }
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if ((cell || row.length) && rows.length < maxRows) rows.push([...row, cell]);
  return rows.filter((r) => r.some((c) => c.trim()));
}

function readStart(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file.slice(0, PREVIEW_BYTES), "utf-8");
  });
}

/** The header row and up to `rows` data rows. A cut-off last line is dropped, not shown half. */
export async function previewCsv(file: File, rows = 5): Promise<CsvPreview> {
  let text = (await readStart(file)).replace(/^\uFEFF/, "");
  if (file.size > PREVIEW_BYTES) text = text.slice(0, text.lastIndexOf("\n") + 1);
  const [header = [], ...data] = parseCsv(text, rows + 1);
  return { columns: header.map((h) => h.trim()), rows: data };
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The field a column most likely means: its own name, its label, or a plural/singular of it. */
export function guessField(column: string, fields: Record<string, string>): string {
  if (column.startsWith("cf.")) return column;
  const wanted = squash(column);
  for (const [field, label] of Object.entries(fields)) {
    const names = [squash(field), squash(label)];
    if (names.includes(wanted) || names.includes(`${wanted}s`)) return field;
  }
  return "";
}
