import { parentPort } from 'node:worker_threads';
import { decodeEnvelope, encodeAnnotations, PushDecodeError } from './decode';
import { WorkerJob, type WorkerReply } from './messages';

/** A push-decoding thread (see decoder.ts): heads first, then the annotation texts. */
const port = parentPort;
if (!port) throw new Error('push decoder worker started outside a worker thread');

port.on('message', (raw: unknown) => {
  const { id, body } = WorkerJob.parse(raw);
  const reply = (m: WorkerReply): void => port.postMessage(m);
  try {
    const { clientId, heads, annotations, source } = decodeEnvelope(body);
    reply({ id, type: 'head', clientId, heads });
    reply({ id, type: 'texts', texts: encodeAnnotations(annotations, source) });
  } catch (e) {
    if (e instanceof PushDecodeError) reply({ id, type: 'error', field: e.field, message: e.message });
    else
      reply({
        id,
        type: 'error',
        field: 'body',
        message: `body: ${e instanceof Error ? e.message : 'could not be decoded'}`,
      });
  }
});
