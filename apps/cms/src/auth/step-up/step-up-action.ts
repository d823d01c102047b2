// Which entry of the step-up table (step-up-table.ts) a request is. Strapi 5
// publishes through the same routes it writes with: create or update without
// `?status=draft` publishes, so that query decides between write and publish.
import type { StepUpAction } from "./step-up-table";

const ARTICLE_HANDLER = /^api::article\.article\.(find|findOne|create|update|delete)$/;

export function stepUpActionOf(handler: unknown, query: Readonly<Record<string, unknown>>): StepUpAction | undefined {
  if (typeof handler !== "string") return undefined;
  const action = ARTICLE_HANDLER.exec(handler)?.[1];
  switch (action) {
    case "find":
    case "findOne":
      return "article.read";
    case "create":
    case "update":
      // Strapi's core service publishes unless the query says `status=draft`
      // (no status means published). Anything but an explicit draft counts as
      // publishing: a missing, repeated or odd `status` must not slip past the
      // stricter rule.
      return query.status === "draft" ? "article.write" : "article.publish";
    case "delete":
      return "article.delete";
    default:
      return undefined;
  }
}
