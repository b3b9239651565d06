import { z } from "zod";
import { DependencyUnavailableError, UnauthorizedError } from "../../domain/errors";
import type { WeChatSessions } from "../../domain/ports";
import type { DependencyGuard } from "../dependencyGuard";

const replySchema = z.object({
  openid: z.string().min(1).max(64).optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});

/** WeChat's errcodes that mean "this code is no good", as opposed to WeChat being unwell. */
const rejectedCodes = new Map([
  [40029, "invalid code"],
  [40163, "code already used"],
  [40226, "user blocked by risk control"],
]);

/**
 * `GET {apiBaseUrl}/sns/jscode2session` — exchanges a wx.login() code for the user's openid.
 * The session_key in the reply is not needed by this service and is dropped, never logged.
 */
export class WeChatCode2Session implements WeChatSessions {
  constructor(
    private readonly settings: {
      readonly apiBaseUrl: string;
      readonly appId: string;
      readonly appSecret: string;
    },
    private readonly guard: DependencyGuard,
    private readonly timeoutMs: number,
  ) {}

  async exchange(code: string): Promise<{ openId: string }> {
    const url = new URL(
      "sns/jscode2session",
      this.settings.apiBaseUrl.endsWith("/") ? this.settings.apiBaseUrl : `${this.settings.apiBaseUrl}/`,
    );
    url.search = new URLSearchParams({
      appid: this.settings.appId,
      secret: this.settings.appSecret,
      js_code: code,
      grant_type: "authorization_code",
    }).toString();
    const reply = await this.guard.run(async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const parsed = replySchema.safeParse(await response.json());
      if (!parsed.success) throw new Error("unexpected reply shape");
      return parsed.data;
    });
    if (reply.errcode && reply.errcode !== 0) {
      const rejected = rejectedCodes.get(reply.errcode);
      if (rejected)
        throw new UnauthorizedError(`code rejected by WeChat: ${rejected} (errcode ${reply.errcode})`);
      throw new DependencyUnavailableError("wechat", "error", `errcode ${reply.errcode}`);
    }
    if (!reply.openid) throw new DependencyUnavailableError("wechat", "error", "reply without openid");
    return { openId: reply.openid };
  }
}
