import { describe, expect, it } from "vitest";
import { OWNER_NOT_WRITABLE, refuseOwnerInBody } from "../src/api/shared/refuse-owner-in-body";

const ctxWith = (body: unknown) => ({ request: { body }, status: 200, body: undefined as unknown }) as unknown as Parameters<typeof refuseOwnerInBody>[0];

describe("refuseOwnerInBody", () => {
  it("refuses the relation in any shape, with a stable code", () => {
    for (const owner of [7, "doc-7", { id: 7 }, { connect: [7] }, { connect: [{ documentId: "doc-7" }] }, { set: [7] }, { disconnect: [7] }, null, undefined]) {
      const ctx = ctxWith({ data: { title: "t", owner } });
      expect(refuseOwnerInBody(ctx, "owner"), JSON.stringify(owner)).toBe(true);
      expect(ctx.status).toBe(400);
      expect(ctx.body).toMatchObject({ data: null, error: { status: 400, code: OWNER_NOT_WRITABLE, details: { key: "owner" } } });
    }
  });

  it("lets everything else through untouched", () => {
    for (const body of [{ data: { title: "t" } }, { data: { title: "owner" } }, {}, undefined, { data: "x" }, { owner: 7 }]) {
      const ctx = ctxWith(body);
      expect(refuseOwnerInBody(ctx, "owner"), JSON.stringify(body)).toBe(false);
      expect(ctx.status).toBe(200);
      expect(ctx.body).toBeUndefined();
    }
  });
});
