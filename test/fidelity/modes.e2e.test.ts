/**
 * The round trips a user relies on, through the CLI in-process over loopback HTTP, against the emulator in its
 * two fidelity modes: `serverValues: 'spec-examples'` (what a client leaves out is stored as the spec's example,
 * as an OpenAPI mock server answers) and `extraFields` (every object returned carries fields the spec does not
 * list; charges carry server ids, `details` and `featureQuantityPrice`). A tool that reads with an allow-list and
 * assumes no undocumented default passes them as it passes the emulator's default mode:
 * - apply → plan: no changes; drift: in sync;
 * - a changed catalog applied over that live data: every request body valid against the spec, then no changes;
 * - apply → pull → validate (0 errors) → plan: no changes, and nothing the spec does not list in the files;
 * - promote into an empty environment → promote --dry-run --detailed-exitcode: exit 0, with every request body
 *   sent valid against the spec, unknown properties refused.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { computePlan, applyPlan } from '../../src/apply/index.js';
import { KelviqClient, type RequestEvent } from '../../src/client/index.js';
import { EXTRA_FIELDS, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';
import type { Catalog } from '../../src/schema/model.js';
import { loadCatalog } from '../../src/schema/index.js';
import { loadOpenApi } from '../helpers/openapi.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { runCli, type Ran } from '../helpers/run-cli.js';

const SANDBOX_KEY = 'kvq_canary_fidelity_sandbox_3e8b1c';
const PRODUCTION_KEY = 'kvq_canary_fidelity_production_7d2a9f';
/** What only the extra-fields mode returns; none of it belongs in a catalog file. */
const UNLISTED = [...Object.keys(EXTRA_FIELDS), 'featureQuantityPrice'];

const MODES: Array<{ name: string; options: EmulatorOptions }> = [
  { name: 'spec-examples', options: { serverValues: 'spec-examples' } },
  { name: 'extra-fields', options: { extraFields: true } },
];

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kelviq-fidelity-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe.each(MODES)('the emulator in its $name mode', ({ name, options }) => {
  let sandbox: RunningEmulator;
  let production: RunningEmulator;
  let productionProxy: RecordingProxy;

  const env = () => ({
    KELVIQ_SANDBOX_BASE_URL: sandbox.url,
    KELVIQ_SANDBOX_SERVER_API_KEY: SANDBOX_KEY,
    KELVIQ_BASE_URL: productionProxy.url,
    KELVIQ_SERVER_API_KEY: PRODUCTION_KEY,
    NO_COLOR: '1',
  });
  const cli = (args: string[]): Promise<Ran> => runCli(args, env(), [SANDBOX_KEY, PRODUCTION_KEY]);
  const succeeded = (ran: Ran) => expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);

  beforeEach(async () => {
    [sandbox, production] = await Promise.all([
      startEmulator({ port: 0, apiKey: SANDBOX_KEY, ...options }),
      startEmulator({ port: 0, apiKey: PRODUCTION_KEY, ...options }),
    ]);
    productionProxy = await startRecordingProxy(production);
  });
  afterEach(async () => {
    await productionProxy.close();
    await Promise.all([sandbox.close(), production.close()]);
  });

  test('apply --publish, then plan: no changes; drift: in sync', async () => {
    succeeded(await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish']));
    const planned = await cli(['plan', '--catalog', 'examples/catalog', '--detailed-exitcode']);
    expect(planned.stdout).toContain('No changes. Kelviq matches the catalog.');
    expect(planned.code).toBe(0);
    const drift = await cli(['drift', '--catalog', 'examples/catalog']);
    expect(drift.stdout).toContain('No drift. Kelviq sandbox matches the catalog.');
    expect(drift.code).toBe(0);
  });

  test('a changed catalog applied over the live data: every request body within the spec, then no changes', async () => {
    succeeded(await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish']));
    const sent: RequestEvent[] = [];
    const client = new KelviqClient({ baseUrl: sandbox.url, apiKey: SANDBOX_KEY, onRequest: (event) => sent.push(event) });
    try {
      const changed = (await loadCatalog('examples/catalog')).catalog!;
      const team = changed.plans.find((plan) => plan.identifier === 'desktop-team')!;
      team.name = 'Team (2027)';
      team.license = { ...team.license, activationLimit: 12 };
      team.links = [{ name: 'Teams', url: 'https://desktop.acme.example/teams/2027' }];
      team.entitlements = { ...team.entitlements, devices: { value: 12 } };
      const [eur] = team.prices!;
      eur!.chargeCatalogPrice![0]!.charges![0]!.priceData = { amount: 549 };
      const converge = async (catalog: Catalog) => {
        const computed = await computePlan({ client, catalog, environment: 'sandbox', decisions: { publish: true } });
        const result = await applyPlan(computed.plan, { client, live: computed.live, environment: 'sandbox' });
        expect(result.failed.map((failure) => failure.error.message)).toEqual([]);
      };
      await converge(changed);
      expect((await computePlan({ client, catalog: changed, environment: 'sandbox' })).plan.actions).toEqual([]);

      const spec = loadOpenApi();
      const bodies = sent.filter((event) => event.body !== undefined);
      expect(bodies.map((event) => `${event.method} ${event.template}`)).toEqual(
        expect.arrayContaining(['PATCH /catalog/plans/{identifier}/', 'POST /catalog/plans/{identifier}/prices/bulk/']),
      );
      const problems = bodies.flatMap((event) => spec.validateRequestBody(event.method, event.template, event.body).map((error) => `${event.method} ${event.path}: ${error}`));
      expect(problems).toEqual([]);
    } finally {
      await client.close();
    }
  });

  test.each([
    ['published', ['--publish']],
    ['never published', []],
  ])('apply (%s) → pull → validate: 0 errors → plan: no changes; the files hold nothing the spec does not list', async (state, flags) => {
    succeeded(await cli(['apply', '--catalog', 'examples/catalog', '--yes', ...flags]));
    const out = join(root, `${name}-${state.replace(' ', '-')}`);
    succeeded(await cli(['pull', '--out', out]));

    const validated = await cli(['validate', '--catalog', out]);
    // Warnings are allowed: a value the server stores may be one the format warns about (a reset on a BOOLEAN).
    expect(validated.stdout, validated.stdout + validated.stderr).toMatch(/^Catalog is valid, \d+ warning/m);
    expect(validated.code).toBe(0);
    // Nothing to write. Plans never published are not what customers see: exit 2, said so (0 once published).
    const planned = await cli(['plan', '--catalog', out, '--detailed-exitcode']);
    if (state === 'published') {
      expect(planned.stdout, planned.stderr).toContain('No changes. Kelviq matches the catalog.');
      expect(planned.code).toBe(0);
    } else {
      expect(planned.stdout, planned.stderr).toMatch(/No changes to write, but customers do not see the catalog yet: \d+ plan\(s\) with an unpublished draft/);
      expect(planned.code).toBe(2);
    }

    for (const file of await filesUnder(out)) {
      const text = await readFile(file, 'utf8');
      for (const field of UNLISTED) expect(text, `${file} holds ${field}`).not.toContain(field);
    }
  });

  test('promote into an empty environment, then promote --dry-run --detailed-exitcode: exit 0; every body sent within the spec', async () => {
    succeeded(await cli(['apply', '--catalog', 'examples/catalog', '--yes', '--publish']));
    succeeded(await cli(['promote', '--yes', '--publish']));
    const again = await cli(['promote', '--dry-run', '--detailed-exitcode']);
    expect(again.stdout, again.stderr).toContain('No changes');
    expect(again.code).toBe(0);

    const spec = loadOpenApi();
    const sent = productionProxy.recorded.filter((request) => request.body !== undefined);
    expect(sent.length).toBeGreaterThan(10);
    const problems = sent.flatMap((request) =>
      spec.validateRequestBody(request.method, request.template ?? request.path, request.body).map((error) => `${request.method} ${request.path}: ${error}`),
    );
    expect(problems).toEqual([]);
  });
});
