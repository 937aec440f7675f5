import { inspect } from "util";

/**
 * The mime bundle of a cell's last expression: text/plain as Node's REPL prints it, which for tensors and
 * modules is PyTorch's printed form (kernel-lib defines util.inspect.custom as their toString). Values
 * that carry their own rich form (an object with `_repr_mimebundle_()` or `_repr_html_()`, as in IPython)
 * add it.
 */
export function resultBundle(value: unknown): Record<string, unknown> {
  const data: Record<string, unknown> = { "text/plain": inspect(value, { depth: 4, maxArrayLength: 100 }) };
  if (value !== null && typeof value === "object") {
    const rich = value as { _repr_mimebundle_?: unknown; _repr_html_?: unknown };
    try {
      if (typeof rich._repr_mimebundle_ === "function") {
        const extra: unknown = rich._repr_mimebundle_();
        if (extra && typeof extra === "object") Object.assign(data, extra);
      }
      if (typeof rich._repr_html_ === "function") {
        const html: unknown = rich._repr_html_();
        if (typeof html === "string") data["text/html"] = html;
      }
    } catch {
      // a failing rich form leaves the plain text
    }
  }
  return data;
}
