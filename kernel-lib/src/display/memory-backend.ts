import { newDisplayId } from "./ids";
import { getsFigureHtml, plotlyLoaderBundle, PlotlySession, withFigureHtml } from "./plotly-html";
import { DisplayBackend, DisplayHandle, MimeBundle, MimeMetadata, ShowOptions } from "./types";

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
 * Jupyter backend would send (it expects plotly.js on the page); with `inlinePlotly` the plotly.js loader
 * is recorded as a display of its own before the first figure, as a kernel session sends it.
 */
export class MemoryBackend implements DisplayBackend {
  readonly name = "memory";
  readonly displays: CapturedDisplay[] = [];
  readonly events: CaptureEvent[] = [];
  private plotly = new PlotlySession();

  constructor(private readonly options: { inlinePlotly?: boolean } = {}) {}

  show(data: MimeBundle, options: ShowOptions = {}): DisplayHandle {
    if (this.options.inlinePlotly && getsFigureHtml(data) && this.plotly.needsLoader()) this.record(plotlyLoaderBundle(), {});
    return this.record(withFigureHtml(data, { kind: "page" }), options);
  }

  private record(first: MimeBundle, options: ShowOptions): DisplayHandle {
    const id = newDisplayId();
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
        const completed = withFigureHtml(next, { kind: "page" });
        updates.push(completed);
        this.events.push({ type: "update", id, data: completed });
      },
    };
  }

  /** Forgets everything recorded, including whether the plotly.js loader was recorded. */
  clear(): void {
    this.displays.length = 0;
    this.events.length = 0;
    this.plotly = new PlotlySession();
  }
}
