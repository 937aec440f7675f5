let counter = 0;

/** A display id unique within the process and, thanks to the random part, across kernel sessions. */
export function newDisplayId(): string {
  counter += 1;
  const random = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, "0");
  return `d2l-${counter.toString(36)}-${random}`;
}
