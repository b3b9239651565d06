import { Socket } from "node:net";

/**
 * A minimal RESP2 client over node:net: one command per connection. Enough to check that a Redis
 * server is up (PING) and to prove it keeps data, without an npm client in the harness.
 */

export type RespValue = string | number | null | RespValue[];

/** An error reply (`-ERR ...`, `-LOADING ...`) from the server. */
export class RespError extends Error {
  override name = "RespError";
}

function encode(args: readonly string[]): Buffer {
  const parts = [`*${args.length}\r\n`];
  for (const arg of args) parts.push(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`);
  return Buffer.from(parts.join(""));
}

interface Parsed {
  readonly value: RespValue | RespError;
  readonly next: number;
}

/** Parses one reply starting at `at`; undefined while the buffer holds only part of it. */
function parse(buffer: Buffer, at: number): Parsed | undefined {
  const lineEnd = buffer.indexOf("\r\n", at);
  if (lineEnd < 0) return undefined;
  const line = buffer.toString("utf8", at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (String.fromCharCode(buffer[at] ?? 0)) {
    case "+":
      return { value: line, next };
    case "-":
      return { value: new RespError(line), next };
    case ":":
      return { value: Number(line), next };
    case "$": {
      const length = Number(line);
      if (length < 0) return { value: null, next };
      if (buffer.length < next + length + 2) return undefined;
      return { value: buffer.toString("utf8", next, next + length), next: next + length + 2 };
    }
    case "*": {
      const count = Number(line);
      if (count < 0) return { value: null, next };
      const items: RespValue[] = [];
      let cursor = next;
      for (let i = 0; i < count; i++) {
        const item = parse(buffer, cursor);
        if (!item) return undefined;
        if (item.value instanceof RespError) return item;
        items.push(item.value);
        cursor = item.next;
      }
      return { value: items, next: cursor };
    }
    default:
      return { value: new RespError(`unexpected RESP reply: ${JSON.stringify(line)}`), next };
  }
}

/** Sends one command and resolves with its reply; an error reply rejects with a {@link RespError}. */
export function redisCommand(
  host: string,
  port: number,
  args: readonly string[],
  timeoutMs = 2000,
): Promise<RespValue> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const finish = (outcome: RespValue | Error) => {
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () =>
      finish(new Error(`redis ${host}:${port}: no reply in ${timeoutMs} ms`)),
    );
    socket.once("error", finish);
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      const reply = parse(received, 0);
      if (reply) finish(reply.value);
    });
    socket.once("close", () => finish(new Error(`redis ${host}:${port}: connection closed before a reply`)));
    socket.connect(port, host, () => socket.write(encode(args)));
  });
}
