/** A parsed CSV: the header's column names and the data rows, each with the 1-based line it starts on. */
export interface CsvTable {
  header: string[];
  rows: { line: number; fields: string[] }[];
}

/**
 * RFC 4180 CSV: comma-separated, fields optionally in double quotes (with "" for a quote, and commas or
 * newlines inside), CRLF or LF line ends, a UTF-8 byte-order mark tolerated. Blank lines are skipped.
 * `file` names the source in error messages.
 */
export function parseCsv(text: string, file: string): CsvTable {
  const records: { line: number; fields: string[] }[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fields: string[] = [];
  let field = "";
  let recordLine = 1;
  let atFieldStart = true;
  let lineHasContent = false;
  const endRecord = (): void => {
    if (lineHasContent || fields.length > 0) {
      fields.push(field);
      records.push({ line: recordLine, fields });
    }
    fields = [];
    field = "";
    atFieldStart = true;
    lineHasContent = false;
  };
  while (i < text.length) {
    const ch = text[i];
    if (atFieldStart && ch === '"') {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`${file}:${startLine}: a quoted field is not closed`);
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n") line++;
        field += c;
        i++;
      }
      lineHasContent = true;
      atFieldStart = false;
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        throw new Error(`${file}:${line}: unexpected character ${JSON.stringify(next)} after a closing quote`);
      }
      continue;
    }
    if (ch === ",") {
      fields.push(field);
      field = "";
      atFieldStart = true;
      lineHasContent = true;
      i++;
    } else if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      if (ch === '"') throw new Error(`${file}:${line}: a quote inside an unquoted field; quote the whole field and double the quote`);
      field += ch;
      atFieldStart = false;
      lineHasContent = true;
      i++;
    }
  }
  endRecord();
  if (records.length === 0) throw new Error(`${file}: the CSV file is empty (no header line)`);
  const [header, ...rows] = records;
  rows.forEach((r) => {
    if (r.fields.length !== header.fields.length) {
      throw new Error(`${file}:${r.line}: ${r.fields.length} fields but the header has ${header.fields.length} (${header.fields.join(", ")})`);
    }
  });
  return { header: header.fields.map((h) => h.trim()), rows };
}

/** Quotes a field when it needs it. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
