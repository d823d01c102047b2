// Submits a page's server-action form the way a browser without JavaScript
// does: a multipart POST to the page with the form's hidden `$ACTION_ID_…`
// field (React renders it for progressive enhancement) and its other fields.
// Redirects are not followed, so a test sees where the action sends the browser.
import type { WebSession } from "@stack/testkit/web-session";

export interface ActionForm {
  /** The server action's id, from the form's `$ACTION_ID_<id>` field. */
  actionId: string;
  /** The form's other hidden fields. */
  fields: Record<string, string>;
}

/** The server-action form that holds the button with `data-testid={testId}`. */
export function actionFormWithButton(html: string, testId: string): ActionForm {
  for (const [, inner = ""] of html.matchAll(/<form\b[^>]*>([\s\S]*?)<\/form>/gi)) {
    if (!inner.includes(`data-testid="${testId}"`)) continue;
    const actionId = /name="\$ACTION_ID_([^"]+)"/.exec(inner)?.[1];
    if (!actionId) throw new Error(`the form of ${testId} is not a server-action form`);
    const fields: Record<string, string> = {};
    for (const [, attributes = ""] of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const name = /\bname="([^"]*)"/.exec(attributes)?.[1];
      if (name && !name.startsWith("$ACTION_")) fields[name] = (/\bvalue="([^"]*)"/.exec(attributes)?.[1] ?? "").replaceAll("&amp;", "&");
    }
    return { actionId, fields };
  }
  throw new Error(`no form with a button ${testId} on the page`);
}

/** POSTs the form to `path` with these headers (an Origin, say) and the fields, overridable. */
export function submitActionForm(session: WebSession, path: string, form: ActionForm, options: { headers?: Record<string, string>; fields?: Record<string, string> } = {}): Promise<Response> {
  const body = new FormData();
  body.set(`$ACTION_ID_${form.actionId}`, "");
  for (const [name, value] of Object.entries({ ...form.fields, ...options.fields })) body.set(name, value);
  return session.fetch(path, { method: "POST", headers: options.headers, body });
}
