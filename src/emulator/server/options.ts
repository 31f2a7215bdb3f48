/** What `startEmulator` accepts and what can be changed while it runs. */
import type { HttpMethod } from '../api/route.js';
import type { ServerValuesMode } from '../model/server-values.js';

/** The key the emulator accepts unless told otherwise: a fixed, public test value (not a secret). */
export const EMULATOR_DEFAULT_KEY = 'kvq_emulator_test_key';

/**
 * - `error-before`: answers 500, 502 (with an HTML proxy page) or 503 without touching the catalog;
 * - `reset-before`: destroys the connection without touching the catalog;
 * - `commit-then-error`: performs the request, then answers 500 instead of the real answer;
 * - `commit-then-reset`: performs the request, then destroys the connection.
 */
export type FaultKind = 'error-before' | 'reset-before' | 'commit-then-error' | 'commit-then-reset';
export const FAULT_KINDS: readonly FaultKind[] = ['error-before', 'reset-before', 'commit-then-error', 'commit-then-reset'];
export type FaultStatus = 500 | 502 | 503;

/** Fires on the next `times` requests that match `method` and `pathTemplate` (both optional). */
export interface TargetedFault {
  kind: FaultKind;
  method?: HttpMethod;
  /** As in the request log: `/catalog/plans/{identifier}/prices/bulk/` (an `/api/v1` prefix is tolerated). */
  pathTemplate?: string;
  /** Default 1. */
  times?: number;
  /** For `error-before` only; default 500. */
  status?: FaultStatus;
}

/** Each matching request draws from a PRNG seeded with `seed`: the same request sequence gets the same faults. */
export interface RandomFaults {
  seed: number;
  /** 0..1, per matching request. */
  probability: number;
  /** Default: all four kinds. */
  kinds?: FaultKind[];
  /** Default: every method. */
  methods?: HttpMethod[];
}

/** The knobs that can change at runtime (setters, `POST /__emulator/config`). */
export interface RuntimeSettings {
  /** Added before every API request is processed. */
  latencyMs: number;
  /** A uniformly random extra 0..jitterMs on top of latencyMs. */
  jitterMs: number;
  /** Token bucket (burst = one second's worth); null or 0 = unlimited. Excess requests get 429 + Retry-After. */
  rateLimitRps: number | null;
  /** false: publish answers 428, as when no billing provider is connected. */
  billingProviderConnected: boolean;
}

export interface EmulatorOptions extends Partial<RuntimeSettings> {
  /** 0 (the default) = a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The accepted bearer token; default EMULATOR_DEFAULT_KEY. */
  apiKey?: string;
  faults?: TargetedFault[];
  randomFaults?: RandomFaults | null;
  /** An initial catalog (see `seed/schema.ts`); already-parsed JSON. */
  seed?: unknown;
  /** A JSON file holding an initial catalog; ignored when `seed` is given. */
  seedFile?: string;
  /** Entries the request log keeps (oldest dropped first; counts are kept regardless). Default 10,000. */
  requestLogLimit?: number;
  /**
   * What is stored for fields a client leaves out: `emulator-defaults` (the default; `model/defaults.ts`) or
   * `spec-examples` (each property's `example` in the spec, as an OpenAPI mock server builds responses; see
   * `model/spec-example-values.ts`). Fixed for the emulator's life.
   */
  serverValues?: ServerValuesMode;
  /**
   * Every object a successful answer returns carries fields the spec does not list, and charges carry the
   * server-owned `id`, `details` and `featureQuantityPrice` (see `api/extra-fields.ts`). Default false.
   */
  extraFields?: boolean;
}

/** The modes chosen at start (see EmulatorOptions). */
export interface EmulatorModes {
  serverValues: ServerValuesMode;
  extraFields: boolean;
}

export interface EmulatorConfig extends RuntimeSettings, EmulatorModes {
  randomFaults: RandomFaults | null;
  pendingFaults: TargetedFault[];
}

export function runtimeSettingsFrom(options: EmulatorOptions): RuntimeSettings {
  return {
    latencyMs: options.latencyMs ?? 0,
    jitterMs: options.jitterMs ?? 0,
    rateLimitRps: options.rateLimitRps || null,
    billingProviderConnected: options.billingProviderConnected ?? true,
  };
}
