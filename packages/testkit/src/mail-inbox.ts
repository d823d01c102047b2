// Reads what Keycloak sent, through the mail catcher's HTTP API. MailDev 3
// (@maildev/api): `GET /api/email` answers a JSON array of full messages in
// arrival order (`?sort=desc` newest first; any other query parameter is a
// field filter), `GET /api/email/:id` one message (and marks it read).

/** The fields of MailDev 3's `Email` that tests use. */
export interface CaughtMail {
  id: string;
  /** When MailDev received the message (ISO 8601, whole seconds); the `since` filters use this. */
  time: string;
  subject: string;
  from: { address: string; name?: string }[];
  to: { address: string; name?: string }[];
  /** The message's Date header, if it had one. */
  date?: string;
  html?: string;
  text?: string;
}

export interface WaitForMailOptions {
  /** Only messages received at or after this moment. */
  since?: Date;
  /** Ids of messages to pass over, e.g. those that were there before the step (`since` is only as fine as a second). */
  ignore?: readonly string[];
  /** Milliseconds; defaults to 30 s. */
  timeoutMs?: number;
}

export class MailInbox {
  private readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** Every caught message, newest first; `to` narrows it to one recipient (MailDev matches the address exactly). */
  async list(to?: string): Promise<CaughtMail[]> {
    const filter = to === undefined ? "" : `&${new URLSearchParams({ "to.address": to })}`;
    const response = await fetch(`${this.baseUrl}/api/email?sort=desc${filter}`);
    if (!response.ok) throw new Error(`mail catcher answered HTTP ${response.status}`);
    const body: unknown = await response.json();
    if (!Array.isArray(body)) throw new Error("mail catcher's /api/email did not answer an array (not MailDev 3?)");
    return body as CaughtMail[];
  }

  async get(id: string): Promise<CaughtMail> {
    const response = await fetch(`${this.baseUrl}/api/email/${encodeURIComponent(id)}`);
    if (!response.ok) throw new Error(`mail catcher answered HTTP ${response.status} for ${id}`);
    return (await response.json()) as CaughtMail;
  }

  /** Messages to `address` whose subject matches, received since `since`, newest first. */
  async find(address: string, subject: RegExp, since?: Date): Promise<CaughtMail[]> {
    // MailDev keeps `time` to the whole second, so `since` is rounded down to one.
    const after = since ? Math.floor(since.getTime() / 1000) * 1000 : 0;
    // Keycloak lowercases addresses; asking MailDev for that form keeps each poll small.
    return (await this.list(address.toLowerCase())).filter(
      (mail) =>
        mail.to.some((to) => to.address.toLowerCase() === address.toLowerCase()) &&
        subject.test(mail.subject) &&
        new Date(mail.time).getTime() >= after,
    );
  }

  /** Waits for the newest message to `address` matching `subject`. */
  async waitFor(address: string, subject: RegExp, options: WaitForMailOptions = {}): Promise<CaughtMail> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const [found] = (await this.find(address, subject, options.since)).filter((mail) => !options.ignore?.includes(mail.id));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${subject} arrived`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The first link in a message whose URL matches `pattern`. */
  static link(mail: CaughtMail, pattern: RegExp): string {
    const source = `${mail.text ?? ""}\n${mail.html ?? ""}`;
    for (const match of source.matchAll(/https?:\/\/[^\s"'<>]+/g)) {
      const url = match[0].replaceAll("&amp;", "&");
      if (pattern.test(url)) return url;
    }
    throw new Error(`no link matching ${pattern} in "${mail.subject}"`);
  }
}
