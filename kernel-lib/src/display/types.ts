/** JSON values as they travel in a Jupyter message. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One display's data, keyed by mime type, exactly as Jupyter's display_data.data: text types are strings,
 * binary types (image/png) are base64 strings, JSON types (application/vnd.plotly.v1+json) are objects.
 */
export type MimeBundle = Record<string, JsonValue>;

/** Per-mime metadata, e.g. { "image/png": { width: 280, height: 140 } }. */
export type MimeMetadata = Record<string, JsonValue>;

export interface ShowOptions {
  metadata?: MimeMetadata;
  /** The display will be updated repeatedly (an Animator): text backends treat it as progress on stderr. */
  live?: boolean;
  /** Text backends print the whole text/plain (a table), not just its first line. */
  fullText?: boolean;
}

/** A shown display that can be replaced in place. */
export interface DisplayHandle {
  readonly id: string;
  update(data: MimeBundle, metadata?: MimeMetadata): void;
}

/** Where displays go: the Jupyter kernel, stdout, files, or memory. */
export interface DisplayBackend {
  readonly name: string;
  show(data: MimeBundle, options?: ShowOptions): DisplayHandle;
}

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";
