import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel } from "./font";

/** An 8-bit grayscale image being drawn (0 black, 255 white). */
export class GrayRaster {
  readonly pixels: Uint8Array;

  constructor(readonly width: number, readonly height: number, background = 255) {
    this.pixels = new Uint8Array(width * height).fill(background);
  }

  set(x: number, y: number, v: number): void {
    if (x >= 0 && y >= 0 && x < this.width && y < this.height) this.pixels[y * this.width + x] = v;
  }

  /** Draws a w x h image of 0..255 values at (x0, y0), each pixel as a k x k block. */
  blit(image: Uint8Array, w: number, h: number, x0: number, y0: number, k: number): void {
    for (let y = 0; y < h * k; y++) {
      for (let x = 0; x < w * k; x++) this.set(x0 + x, y0 + y, image[Math.floor(y / k) * w + Math.floor(x / k)]);
    }
  }

  /** Draws one line of text with its top-left at (x0, y0), each font pixel as an s x s block. */
  text(s: string, x0: number, y0: number, scale: number, value = 0): void {
    for (let c = 0; c < s.length; c++) {
      const cx = x0 + c * textAdvance(scale);
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        for (let row = 0; row < GLYPH_HEIGHT; row++) {
          if (!glyphPixel(s[c], col, row)) continue;
          for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) this.set(cx + col * scale + dx, y0 + row * scale + dy, value);
        }
      }
    }
  }
}

/** Horizontal distance between characters at a font scale (one pixel column of spacing). */
export function textAdvance(scale: number): number {
  return (GLYPH_WIDTH + 1) * scale;
}

/** Width in pixels of a line of text. */
export function textWidth(s: string, scale: number): number {
  return s.length === 0 ? 0 : s.length * textAdvance(scale) - scale;
}

/** Height of one text line including spacing. */
export function lineHeight(scale: number): number {
  return (GLYPH_HEIGHT + 3) * scale;
}
