import { newDisplayId } from "./ids";
import { PlotlySession, withFigureHtml } from "./plotly-html";
import { DisplayBackend, DisplayHandle, MimeBundle, MimeMetadata, PLOTLY_MIME, ShowOptions } from "./types";

export interface CapturedDisplay {
  id: string;
  /** The bundle as first shown. */
  data: MimeBundle;
  metadata: MimeMetadata;
  live: boolean;
  /** Every later update, in order. */
  updates: MimeBundle[];
  /** The latest bundle (the last update, or the first bundle). */
  readonly latest: MimeBundle;
}

export interface CaptureEvent {
  type: "display" | "update";
  id: string;
  data: MimeBundle;
}

/**
 * Records bundles and updates instead of showing them (tests, tooling). Figures get the same text/html the
 * Jupyter backend would send; with `inlinePlotly` the first figure carries the plotly.js library like a
 * kernel session's first figure does, otherwise html assumes the library is on the page.
 */
export class MemoryBackend implements DisplayBackend {
  readonly name = "memory";
  readonly displays: CapturedDisplay[] = [];
  readonly events: CaptureEvent[] = [];
  private plotly = new PlotlySession();

  constructor(private readonly options: { inlinePlotly?: boolean } = {}) {}

  show(data: MimeBundle, options: ShowOptions = {}): DisplayHandle {
    const id = newDisplayId();
    const first = this.complete(data, id);
    const updates: MimeBundle[] = [];
    const captured: CapturedDisplay = {
      id,
      data: first,
      metadata: options.metadata ?? {},
      live: options.live ?? false,
      updates,
      get latest() {
        return updates.length > 0 ? updates[updates.length - 1] : first;
      },
    };
    this.displays.push(captured);
    this.events.push({ type: "display", id, data: first });
    return {
      id,
      update: (next: MimeBundle) => {
        const completed = this.complete(next, id);
        updates.push(completed);
        this.events.push({ type: "update", id, data: completed });
      },
    };
  }

  /** Forgets everything recorded, including which figure carried plotly.js. */
  clear(): void {
    this.displays.length = 0;
    this.events.length = 0;
    this.plotly = new PlotlySession();
  }

  private complete(data: MimeBundle, id: string): MimeBundle {
    if (data[PLOTLY_MIME] === undefined) return data;
    const library = this.options.inlinePlotly ? this.plotly.libraryFor(id) : ({ kind: "none" } as const);
    return withFigureHtml(data, library);
  }
}
