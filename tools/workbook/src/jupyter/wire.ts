import { createHmac, randomUUID } from "crypto";

/** Jupyter messaging protocol 5.3 message (the parts this client uses). */
export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface JupyterMessage {
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

const DELIM = Buffer.from("<IDS|MSG>");

export function sign(key: string, parts: readonly (string | Buffer)[]): string {
  if (key === "") return "";
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

export function newMessage(msgType: string, content: Record<string, unknown>, session: string): JupyterMessage {
  return {
    header: {
      msg_id: randomUUID(),
      msg_type: msgType,
      session,
      username: "workbook",
      date: new Date().toISOString(),
      version: "5.3",
    },
    parent_header: {},
    metadata: {},
    content,
  };
}

/** The frames to send on a DEALER socket: delimiter, HMAC-SHA256 signature, then the four JSON parts. */
export function encode(msg: JupyterMessage, key: string): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p)));
  return [DELIM, Buffer.from(sign(key, parts)), ...parts];
}

/** Parses received frames (any routing prefix before the delimiter is ignored) and checks the signature. */
export function decode(frames: readonly Buffer[], key: string): JupyterMessage {
  const at = frames.findIndex((f) => f.equals(DELIM));
  if (at < 0 || frames.length < at + 6) throw new Error("jupyter message: missing delimiter or parts");
  const signature = frames[at + 1].toString();
  const parts = frames.slice(at + 2, at + 6);
  const expected = sign(key, parts);
  if (signature !== expected) throw new Error("jupyter message: invalid HMAC signature");
  const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString("utf8")));
  return { header, parent_header: parent, metadata, content };
}
