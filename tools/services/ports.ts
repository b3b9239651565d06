import { createServer, Socket } from "node:net";

/** Every server here listens on this address only: tests never send traffic off the machine. */
export const loopback = "127.0.0.1";

// A port is free once the probe below closes it; the set keeps two servers started in parallel from
// being handed the same one before either binds it.
const handedOut = new Set<number>();

function bindEphemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, loopback, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A loopback port that nothing listens on now, found by binding port 0. Another process may still take
 * it before the server binds it: callers retry with a new port when the server reports it in use.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await bindEphemeralPort();
    if (port > 0 && !handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error("no free loopback port found in 20 attempts");
}

/** True when a TCP connection to the port is accepted within the timeout. */
export function acceptsConnections(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (accepted: boolean) => {
      socket.destroy();
      resolve(accepted);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("error", () => finish(false));
    socket.connect(port, loopback, () => finish(true));
  });
}
