import { sendBundle } from "./bundle";
import { newDisplayId } from "./ids";
import { PlotlySession, withFigureHtml } from "./plotly-html";
import { DisplayBackend, DisplayHandle, MimeBundle, MimeMetadata, PLOTLY_MIME, ShowOptions } from "./types";

/** Sends each display as one mime bundle to the tslab kernel; updates replace it in place by display id. */
export class JupyterBackend implements DisplayBackend {
  readonly name = "jupyter";
  private readonly plotly = new PlotlySession();

  show(data: MimeBundle, options: ShowOptions = {}): DisplayHandle {
    const id = newDisplayId();
    sendBundle(this.complete(data, id), options.metadata ?? {}, id, false);
    return {
      id,
      update: (next: MimeBundle, metadata?: MimeMetadata) =>
        sendBundle(this.complete(next, id), metadata ?? options.metadata ?? {}, id, true),
    };
  }

  private complete(data: MimeBundle, id: string): MimeBundle {
    if (data[PLOTLY_MIME] === undefined) return data;
    return withFigureHtml(data, this.plotly.libraryFor(id));
  }
}
