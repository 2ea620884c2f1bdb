import net from "node:net";

/**
 * A TCP proxy between the project and a PostgreSQL server, for fault-injection tests: every
 * connection (pool, lock, transaction) of a database opened on {@link FaultProxy.url} goes
 * through it, so one call breaks them all, deterministically.
 */
export interface FaultProxy {
  /** `serverUrl` with its host and port replaced by the proxy's. */
  url(serverUrl: string): string;
  /** The server stopped: every open connection is dropped, new ones are refused. */
  stop(): Promise<void>;
  /** The server froze: connections stay open and new ones are accepted, but no byte gets through. */
  freeze(): void;
  /** Service again: held bytes are delivered, new connections reach the server. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

interface Pipe {
  sockets: net.Socket[];
  /** Bytes held while frozen, per direction, with the socket they are for. */
  held: { to: net.Socket; chunk: Buffer }[];
}

/** Starts a proxy on a free loopback port that forwards to the server of `serverUrl`. */
export async function startFaultProxy(serverUrl: string): Promise<FaultProxy> {
  const target = new URL(serverUrl);
  const targetPort = Number(target.port || 5432);
  let frozen = false;
  const pipes = new Set<Pipe>();

  const listener = net.createServer((client) => {
    const server = net.connect(targetPort, target.hostname);
    const pipe: Pipe = { sockets: [client, server], held: [] };
    pipes.add(pipe);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on("data", (chunk) => (frozen ? pipe.held.push({ to, chunk }) : to.write(chunk)));
    forward(client, server);
    forward(server, client);
    const drop = () => {
      for (const socket of pipe.sockets) socket.destroy();
      pipes.delete(pipe);
    };
    for (const socket of pipe.sockets) socket.on("close", drop).on("error", drop);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(port, "127.0.0.1", () => {
        listener.off("error", reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) =>
      listener.listening ? listener.close(() => resolve()) : resolve(),
    );
  await listen(0);
  const port = (listener.address() as net.AddressInfo).port;

  const dropAll = () => {
    for (const pipe of pipes) for (const socket of pipe.sockets) socket.destroy();
    pipes.clear();
  };
  return {
    url(serverUrl) {
      const url = new URL(serverUrl);
      url.hostname = "127.0.0.1";
      url.port = String(port);
      return url.toString();
    },
    async stop() {
      frozen = false;
      dropAll();
      await stopListening();
    },
    freeze() {
      frozen = true;
    },
    async resume() {
      frozen = false;
      for (const pipe of pipes) {
        for (const { to, chunk } of pipe.held.splice(0)) to.write(chunk);
      }
      if (!listener.listening) await listen(port);
    },
    async close() {
      dropAll();
      await stopListening();
    },
  };
}
