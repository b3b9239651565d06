import { createServer, type Server } from "node:http";

/**
 * Plays WeChat's part for `GET /sns/jscode2session`: code `ok-<openid>` logs in as <openid>,
 * `used` answers errcode 40163, `busy` answers -1 (system busy); anything else 40029 (invalid).
 * The app secret and app id must match what the app was configured with.
 */
export async function startFakeWeChat(
  appId: string,
  appSecret: string,
): Promise<{ baseUrl: string; calls: URL[]; close(): Promise<void> }> {
  const calls: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    calls.push(url);
    const reply = (body: object) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (url.pathname !== "/sns/jscode2session") return res.writeHead(404).end();
    const { appid, secret, js_code: code, grant_type: grant } = Object.fromEntries(url.searchParams);
    if (appid !== appId || secret !== appSecret || grant !== "authorization_code") {
      return reply({ errcode: 40125, errmsg: "invalid appsecret" });
    }
    if (code?.startsWith("ok-")) return reply({ openid: code.slice(3), session_key: "c2Vzc2lvbi1rZXk=" });
    if (code === "used") return reply({ errcode: 40163, errmsg: "code been used" });
    if (code === "busy") return reply({ errcode: -1, errmsg: "system error" });
    return reply({ errcode: 40029, errmsg: "invalid code" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
