// POST /api/ssf/events: the RFC 8935 push endpoint Keycloak's transmitter
// delivers Security Event Tokens to. Outside Strapi's content-API auth (the
// transmitter holds no Keycloak access token for us): the push carries the
// bearer value the receiver registered with its stream, and the SET itself is
// signed by the realm. 202 on success; otherwise 400 with RFC 8935 §2.3's
// {"err", "description"}. A refused push changes nothing.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { EVENT_TYPES, interpretSecurityEvent, type SecurityEvent } from "./interpret-security-event";
import { ReplayedEventError, type RevocationRow } from "./revocation-table";
import { SsfPushError } from "./ssf-push-error";
import { verifySecurityEventToken, type SecurityEventTokenPolicy } from "./verify-security-event-token";
import type { KeyResolver } from "@stack/keycloak-tokens";

export const SSF_PUSH_PATH = "/ssf/events";
// RFC 8935 §2: the media type of a pushed SET.
const SET_MEDIA_TYPE = "application/secevent+jwt";

export interface PushContext {
  req: IncomingMessage;
  request: { header: Record<string, string | string[] | undefined> };
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

export interface SsfPushHandlerOptions {
  policy: SecurityEventTokenPolicy;
  keys: KeyResolver;
  store: { hasSeen(jti: string): boolean; add(row: RevocationRow): Promise<void> };
  pushSecret: string;
  maxBodyBytes: number;
  /** How long a revocation is kept, ms. */
  retentionMs: number;
  now?: () => number;
  /**
   * Every session of `sub` has ended (session-revoked "ALL"); runs after the
   * revocation is stored (it applies at once whatever happens here), and a
   * throw answers 503 so the transmitter delivers the SET again, which runs
   * this again (apps/cms/src/account/account-erasure.ts). It must be idempotent.
   */
  onAllSessionsEnded?: (sub: string) => Promise<unknown>;
  /** The SET named an audience we do not know (the stream may have been replaced). */
  onUnknownAudience?: () => void;
  /** One line per push; never the SET or a secret. */
  onEvent?: (outcome: { accepted: true; event: SecurityEvent } | { accepted: false; code: string }) => void;
}

export function createSsfPushHandler(options: SsfPushHandlerOptions) {
  const now = options.now ?? Date.now;
  const expected = Buffer.from(`Bearer ${options.pushSecret}`);

  const refuse = (ctx: PushContext, error: SsfPushError) => {
    ctx.status = 400;
    ctx.set("cache-control", "no-store");
    ctx.body = error.toJSON();
    options.onEvent?.({ accepted: false, code: error.code });
  };

  return async (ctx: PushContext): Promise<void> => {
    try {
      const authorization = single(ctx.request.header.authorization);
      if (authorization === undefined) throw new SsfPushError("missing_authorization");
      const given = Buffer.from(authorization);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new SsfPushError("wrong_authorization");

      const contentType = single(ctx.request.header["content-type"])?.split(";")[0]?.trim().toLowerCase();
      if (contentType !== SET_MEDIA_TYPE) throw new SsfPushError("wrong_content_type");
      const declared = Number(single(ctx.request.header["content-length"]) ?? "0");
      if (declared > options.maxBodyBytes) throw new SsfPushError("body_too_large");
      const token = await readBody(ctx.req, options.maxBodyBytes);

      const at = now();
      const set = await verifySecurityEventToken(token, options.policy, options.keys, at).catch((error: unknown) => {
        if (error instanceof SsfPushError && error.code === "invalid_audience") options.onUnknownAudience?.();
        throw error;
      });
      const event = interpretSecurityEvent(set, options.policy.issuer);
      // Every session of the user ended: the erasure check runs after the
      // revocation is stored, and a SET whose erasure failed is delivered again,
      // so its jti, known by then, is not a replay for that one step.
      const allSessionsEnded = event.kind === "subject" && set.eventType === EVENT_TYPES.sessionRevoked ? options.onAllSessionsEnded : undefined;
      const known = options.store.hasSeen(set.jti);
      if (known && !allSessionsEnded) throw new SsfPushError("replayed_set");
      // The jti is remembered at least as long as a SET with it could pass the iat check.
      const jtiMs = (set.iat + options.policy.maxAgeSeconds + options.policy.clockLeewaySeconds) * 1000 + 1000;
      // A revocation, until no token it could match can still be valid.
      const expiresAt = event.kind === "session" || event.kind === "subject" ? Math.max(at + options.retentionMs, jtiMs) : jtiMs;
      if (!known) {
        try {
          await options.store.add({
            jti: set.jti,
            kind: event.kind,
            sub: event.kind === "session" ? (event.sub ?? null) : event.kind === "subject" ? event.sub : null,
            sid: event.kind === "session" ? event.sid : null,
            notBefore: event.kind === "subject" ? event.notBefore : 0,
            receivedAt: at,
            expiresAt,
          });
        } catch (error) {
          if (!(error instanceof ReplayedEventError)) throw error;
          if (!allSessionsEnded) throw new SsfPushError("replayed_set");
        }
      }
      if (allSessionsEnded && event.kind === "subject") {
        try {
          await allSessionsEnded(event.sub);
        } catch (error) {
          ctx.status = 503;
          ctx.set("retry-after", "5");
          ctx.set("cache-control", "no-store");
          ctx.body = { err: "temporarily_unavailable", description: "The event could not be processed yet; deliver it again." };
          options.onEvent?.({ accepted: false, code: error instanceof Error && "code" in error ? String(error.code) : "processing_failed" });
          return;
        }
      }
      ctx.status = 202;
      ctx.body = "";
      options.onEvent?.({ accepted: true, event });
    } catch (error) {
      if (error instanceof SsfPushError) return refuse(ctx, error);
      throw error;
    }
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The raw body as UTF-8, refused past `limit` bytes without reading the rest. */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) {
      req.resume();
      throw new SsfPushError("body_too_large");
    }
    chunks.push(buffer);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new SsfPushError("malformed_set");
  }
}
