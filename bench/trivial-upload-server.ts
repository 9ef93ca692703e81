/**
 * The ceiling for bench/rush.ts: a Fastify + @fastify/multipart server that does what any upload
 * server must (parse the form, stream the file to disk under a new name, answer 202 with JSON) and
 * nothing mljudge adds (no authentication, quota, database, queue). Run on loopback by the bench.
 * Usage: node --import tsx bench/trivial-upload-server.ts <port> <directory>
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';

const [port, directory] = [Number(process.argv[2]), process.argv[3]!];
const app = Fastify({ logger: false });
await app.register(multipart);
app.get('/healthz', async () => ({ status: 'ok' }));
app.post('/upload', async (request, reply) => {
  const part = await request.file({ limits: { fileSize: 64 * 1024 * 1024 } });
  if (!part) return reply.status(400).send({ error: 'no file' });
  const id = randomUUID();
  await pipeline(part.file, createWriteStream(path.join(directory, id)));
  return reply.status(202).send({ id });
});
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
