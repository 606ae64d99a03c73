/**
 * A response body pulled from an async generator of text: nothing is read from the database
 * before the client asks for it, and a client that goes away stops the generator.
 */
export function textStream(
  source: AsyncGenerator<string>,
  /** Told when the source fails mid-stream (the client then sees a cut-off body); the caller logs it its way. */
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await source.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await source.return(undefined);
    },
  });
}
