import { sendBundle } from "./bundle";
import { newDisplayId } from "./ids";
import { getsFigureHtml, plotlyLoaderBundle, PlotlySession, withFigureHtml } from "./plotly-html";
import { DisplayBackend, DisplayHandle, MimeBundle, MimeMetadata, ShowOptions } from "./types";

/**
 * Sends each display as one mime bundle to the tslab kernel; updates replace it in place by display id.
 * Before the session's first figure it sends the plotly.js loader as an output of its own, so neither
 * figures nor their updates carry the library.
 */
export class JupyterBackend implements DisplayBackend {
  readonly name = "jupyter";
  private readonly plotly = new PlotlySession();

  show(data: MimeBundle, options: ShowOptions = {}): DisplayHandle {
    if (getsFigureHtml(data) && this.plotly.needsLoader()) sendBundle(plotlyLoaderBundle(), {}, newDisplayId(), false);
    const id = newDisplayId();
    sendBundle(withFigureHtml(data, { kind: "page" }), options.metadata ?? {}, id, false);
    return {
      id,
      update: (next: MimeBundle, metadata?: MimeMetadata) =>
        sendBundle(withFigureHtml(next, { kind: "page" }), metadata ?? options.metadata ?? {}, id, true),
    };
  }
}
