"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Tabs of one browser tell each other what they show (same origin only). */
const CHANNEL = "acme-session";
/** How often a visible tab asks whether its session still stands, ms (a session Keycloak ended). */
const PROBE_INTERVAL_MS = 10_000;
const SIGNED_OUT_PAGE = "/session-ended?reason=session_not_found";

/**
 * Keeps this tab in step with the browser's session (docs/decisions/0111-tabs-in-step.md).
 * A tab announces what it shows when it renders; another tab that shows
 * something else, or gets focus, or every few seconds while visible, asks the
 * server (GET /api/auth/session, display claims only). Only that answer counts,
 * never a message: a tab that shows a session the server no longer has moves
 * to the signed-out page, one that shows none while the browser has one
 * re-renders. Each tab acts once per render, so nothing can loop.
 */
export function SessionWatch({ signedIn }: { signedIn: boolean }) {
  const router = useRouter();
  useEffect(() => {
    let acted = false;
    const channel = typeof BroadcastChannel === "undefined" ? undefined : new BroadcastChannel(CHANNEL);
    const probe = async () => {
      if (acted) return;
      const present = await sessionPresent();
      if (present === undefined || present === signedIn || acted) return;
      acted = true;
      if (present) router.refresh();
      else window.location.assign(SIGNED_OUT_PAGE);
    };
    const whenVisible = () => {
      if (document.visibilityState === "visible") void probe();
    };
    if (channel) {
      channel.onmessage = (event: MessageEvent<{ signedIn?: unknown }>) => {
        if (event.data?.signedIn !== signedIn) void probe();
      };
      channel.postMessage({ signedIn });
    }
    document.addEventListener("visibilitychange", whenVisible);
    window.addEventListener("focus", whenVisible);
    const timer = window.setInterval(whenVisible, PROBE_INTERVAL_MS);
    return () => {
      channel?.close();
      document.removeEventListener("visibilitychange", whenVisible);
      window.removeEventListener("focus", whenVisible);
      window.clearInterval(timer);
    };
  }, [signedIn, router]);
  return null;
}

/** Whether the browser has a session now; undefined when the server cannot say (offline, 5xx). */
async function sessionPresent(): Promise<boolean | undefined> {
  try {
    const response = await fetch("/api/auth/session", { cache: "no-store", credentials: "same-origin" });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { user?: unknown } | null;
    return Boolean(body?.user);
  } catch {
    return undefined;
  }
}
