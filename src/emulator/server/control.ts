/**
 * The control surface, outside `/api/v1` and without auth, so a standalone emulator (the CLI command) can be
 * driven by scripts:
 *   GET  /__emulator/config      current knobs          POST /__emulator/config   change knobs (partial), add faults
 *   GET  /__emulator/log         request log + counts   DELETE /__emulator/log    clear it
 *   POST /__emulator/faults      queue targeted faults  DELETE /__emulator/faults clear targeted and random faults
 *   GET  /__emulator/publishes   the publish log        GET  /__emulator/state    the catalog as a seed document
 *   POST /__emulator/reset       back to the starting seed (logs and faults cleared, knobs kept)
 *   POST /__emulator/seed        replace the catalog with the posted seed document
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { SeedError } from '../seed/schema.js';
import type { RunningEmulator } from './start.js';
import { sendJson } from './node-bridge.js';
import { FAULT_KINDS } from './options.js';

export const CONTROL_PREFIX = '/__emulator/';

const method = z.enum(['GET', 'POST', 'PATCH', 'DELETE']);
const TargetedFault = z.object({
  kind: z.enum(FAULT_KINDS),
  method: method.optional(),
  pathTemplate: z.string().optional(),
  times: z.int().min(1).optional(),
  status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(),
});
const RandomFaults = z.object({
  seed: z.int(),
  probability: z.number().min(0).max(1),
  kinds: z.array(z.enum(FAULT_KINDS)).optional(),
  methods: z.array(method).optional(),
});
const ConfigPatch = z.object({
  latencyMs: z.number().min(0).optional(),
  jitterMs: z.number().min(0).optional(),
  rateLimitRps: z.number().min(0).nullable().optional(),
  billingProviderConnected: z.boolean().optional(),
  faults: z.array(TargetedFault).optional(),
  randomFaults: RandomFaults.nullable().optional(),
});

export function handleControl(emulator: RunningEmulator, method: string, path: string, rawBody: Buffer, out: ServerResponse): void {
  const route = `${method} ${path.slice(CONTROL_PREFIX.length - 1)}`;
  try {
    switch (route) {
      case 'GET /config':
        return sendJson(out, 200, emulator.config());
      case 'POST /config':
      case 'PATCH /config': {
        const patch = parse(ConfigPatch, rawBody);
        const { faults, randomFaults, ...settings } = patch;
        emulator.configure(settings);
        if (faults) emulator.injectFaults(...faults);
        if (randomFaults !== undefined) emulator.setRandomFaults(randomFaults);
        return sendJson(out, 200, emulator.config());
      }
      case 'GET /log':
        return sendJson(out, 200, emulator.requestLog);
      case 'DELETE /log':
        emulator.requestLog.clear();
        return sendJson(out, 200, emulator.requestLog);
      case 'POST /faults':
        emulator.injectFaults(...parse(z.union([TargetedFault.transform((fault) => [fault]), z.array(TargetedFault)]), rawBody));
        return sendJson(out, 200, emulator.config());
      case 'DELETE /faults':
        emulator.clearFaults();
        return sendJson(out, 200, emulator.config());
      case 'GET /publishes':
        return sendJson(out, 200, emulator.publishLog);
      case 'GET /state':
        return sendJson(out, 200, emulator.exportSeed());
      case 'POST /reset':
        emulator.reset();
        return sendJson(out, 200, { status: 'reset' });
      case 'POST /seed':
        emulator.loadSeed(parse(z.unknown(), rawBody));
        return sendJson(out, 200, { status: 'seeded' });
      default:
        return sendJson(out, 404, { detail: `No control endpoint ${route}.` });
    }
  } catch (error) {
    if (error instanceof ControlInputError || error instanceof SeedError) return sendJson(out, 400, { detail: error.message });
    throw error;
  }
}

class ControlInputError extends Error {}

function parse<T extends z.ZodType>(schema: T, rawBody: Buffer): z.infer<T> {
  let json: unknown = {};
  if (rawBody.length) {
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new ControlInputError('body is not JSON');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ControlInputError(parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return parsed.data;
}
