import { newDisplayId } from "./ids";
import { nodeRequire } from "./node";
import { plotlyFigureHtml, plotlyLibraryPath } from "./plotly-html";
import { summaryLine } from "./text-backend";
import { DisplayBackend, DisplayHandle, MimeBundle, PLOTLY_MIME, ShowOptions } from "./types";

type Fs = typeof import("fs");
type Path = typeof import("path");

/**
 * Writes each display to files in `dir`: display-001.svg, display-001.html (a standalone page; plotly.min.js
 * is copied next to it once), display-001.png, display-001.txt, as the bundle has them. Updates overwrite
 * the same files. Each new display prints its summary and file names to stdout.
 */
export class FileBackend implements DisplayBackend {
  readonly name = "file";
  private count = 0;
  private copiedPlotly = false;
  private readonly fs: Fs;
  private readonly path: Path;

  constructor(readonly dir: string) {
    const req = nodeRequire();
    if (!req) throw new Error("setDisplayBackend('file'): writing files needs Node");
    this.fs = req("fs") as Fs;
    this.path = req("path") as Path;
    this.fs.mkdirSync(dir, { recursive: true });
  }

  show(data: MimeBundle, options: ShowOptions = {}): DisplayHandle {
    this.count += 1;
    const stem = `display-${String(this.count).padStart(3, "0")}`;
    const files = this.write(stem, data);
    const text = data["text/plain"];
    const summary = options.fullText && typeof text === "string" ? `${text}\n` : `${summaryLine(data)} `;
    process.stdout.write(`${summary}-> ${files.join(", ")}\n`);
    return { id: newDisplayId(), update: (next: MimeBundle) => void this.write(stem, next) };
  }

  private write(stem: string, data: MimeBundle): string[] {
    const out: string[] = [];
    const put = (ext: string, content: string | Buffer) => {
      const file = this.path.join(this.dir, `${stem}.${ext}`);
      this.fs.writeFileSync(file, content);
      out.push(file);
    };
    const svg = data["image/svg+xml"];
    if (typeof svg === "string") put("svg", svg);
    const png = data["image/png"];
    if (typeof png === "string") put("png", Buffer.from(png, "base64"));
    const figure = data[PLOTLY_MIME];
    const html = data["text/html"];
    if (figure !== undefined) {
      this.copyPlotly();
      put("html", page(plotlyFigureHtml(figure, typeof svg === "string" ? svg : "", { kind: "src", src: "plotly.min.js" })));
    } else if (typeof html === "string") {
      put("html", page(html));
    }
    const text = data["text/plain"];
    if (typeof text === "string") put("txt", `${text}\n`);
    return out;
  }

  private copyPlotly(): void {
    if (this.copiedPlotly) return;
    this.fs.copyFileSync(plotlyLibraryPath(), this.path.join(this.dir, "plotly.min.js"));
    this.copiedPlotly = true;
  }
}

function page(body: string): string {
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n${body}\n</body></html>\n`;
}
