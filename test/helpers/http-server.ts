import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  /** The body, gunzipped when it was sent gzip-encoded. */
  body: string;
}

/** Decides the answer to each request; the default answers 200. */
export type Responder = (
  request: ReceivedRequest,
  index: number,
) => { status: number; headers?: Record<string, string>; body?: string; delayMs?: number };

export interface TestServer {
  url: string;
  requests: ReceivedRequest[];
  respond: (responder: Responder) => void;
  close: () => Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a random port, recording every request it gets. */
export async function startServer(responder: Responder = () => ({ status: 200 })): Promise<TestServer> {
  let current = responder;
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw;
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: body.toString("utf8"),
      };
      const index = requests.push(request) - 1;
      const answer = current(request, index);
      const send = () => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? "");
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    respond: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
