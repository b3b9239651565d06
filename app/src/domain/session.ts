import type { SessionTokens, WeChatSessions } from "./ports";

/** Mini-program login: wx.login() code → WeChat openid → our signed session token. */
export class SessionService {
  constructor(
    private readonly wechat: WeChatSessions,
    private readonly tokens: SessionTokens,
  ) {}

  async exchange(code: string): Promise<{ userId: string; token: string; expiresAt: string }> {
    const { openId } = await this.wechat.exchange(code);
    return { userId: openId, ...(await this.tokens.issue(openId)) };
  }
}
