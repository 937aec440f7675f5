import { Marker } from "../figure/model";
import { num } from "./xml";

const R = 3;

/** Path data for one marker centred at (x, y). */
export function markerPath(marker: Marker, x: number, y: number): string {
  const p = (dx: number, dy: number) => `${num(x + dx)},${num(y + dy)}`;
  switch (marker) {
    case "circle":
    case "point": {
      const r = marker === "point" ? 1.5 : R;
      return `M${p(-r, 0)}A${r},${r} 0 1,0 ${p(r, 0)}A${r},${r} 0 1,0 ${p(-r, 0)}Z`;
    }
    case "square":
      return `M${p(-R, -R)}L${p(R, -R)}L${p(R, R)}L${p(-R, R)}Z`;
    case "diamond":
      return `M${p(0, -R * 1.3)}L${p(R, 0)}L${p(0, R * 1.3)}L${p(-R, 0)}Z`;
    case "triangle-up":
      return `M${p(0, -R)}L${p(R, R)}L${p(-R, R)}Z`;
    case "triangle-down":
      return `M${p(0, R)}L${p(R, -R)}L${p(-R, -R)}Z`;
    case "triangle-left":
      return `M${p(-R, 0)}L${p(R, -R)}L${p(R, R)}Z`;
    case "triangle-right":
      return `M${p(R, 0)}L${p(-R, -R)}L${p(-R, R)}Z`;
    case "plus":
      return `M${p(-R, 0)}L${p(R, 0)}M${p(0, -R)}L${p(0, R)}`;
    case "x":
      return `M${p(-R, -R)}L${p(R, R)}M${p(-R, R)}L${p(R, -R)}`;
    case "star": {
      let d = "";
      for (let k = 0; k < 10; k++) {
        const r = k % 2 === 0 ? R * 1.3 : R * 0.55;
        const a = -Math.PI / 2 + (k * Math.PI) / 5;
        d += `${k === 0 ? "M" : "L"}${p(r * Math.cos(a), r * Math.sin(a))}`;
      }
      return `${d}Z`;
    }
  }
}

/** Markers drawn with strokes only (no fill). */
export function isOpenMarker(marker: Marker): boolean {
  return marker === "plus" || marker === "x";
}
