import type { SignInResult } from "./model";
import type { SignInRepository } from "./ports";

/** Daily sign-in: points once per user per calendar day in the configured time zone. */
export class DailySignIn {
  private readonly dayFormat: Intl.DateTimeFormat;

  constructor(
    private readonly repository: SignInRepository,
    private readonly settings: { readonly pointsPerDay: number; readonly timeZone: string },
    private readonly now: () => Date = () => new Date(),
  ) {
    // en-CA formats dates as YYYY-MM-DD.
    this.dayFormat = new Intl.DateTimeFormat("en-CA", {
      timeZone: settings.timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
  }

  async signIn(userId: string): Promise<SignInResult> {
    const day = this.dayFormat.format(this.now());
    const { granted, totalPoints } = await this.repository.grantDaily(
      userId,
      day,
      this.settings.pointsPerDay,
    );
    return { day, granted, pointsGranted: granted ? this.settings.pointsPerDay : 0, totalPoints };
  }
}
