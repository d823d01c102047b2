/** A request body read up to a limit: its text, or `ok: false` as soon as it is larger. */
export type LimitedBody = { ok: true; text: string } | { ok: false };

/**
 * Reads at most `maxBytes` of the body. A declared `Content-Length` over the
 * limit is refused without reading; a chunked body is read only until it
 * passes the limit, then the stream is cancelled.
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false };
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString("utf8") };
}
