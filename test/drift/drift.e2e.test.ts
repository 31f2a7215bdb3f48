/**
 * `kelviq-catalog drift` end to end: the CLI run in-process against the emulator over loopback HTTP, the live
 * catalog changed behind the catalog's back with raw HTTP (as someone in the dashboard would), and what a user
 * sees checked: exit codes, categories, values, the JSON document, the Markdown issue body, the step summary.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { createClient, detectDrift, driftJsonDocument, loadCatalog, resolveTarget } from '../../src/index.js';
import { emulatorHttp, type EmulatorHttp } from '../helpers/emulator-http.js';
import { runCli, type Ran } from '../helpers/run-cli.js';

/** A key that must never show up anywhere: the emulator is configured to accept it. */
const CANARY = 'kvq_canary_5d2b8e1f7a3c9e04';

let emulator: RunningEmulator;
let api: EmulatorHttp;
let dir: string;

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Ran> {
  return runCli(args, { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: CANARY, ...env }, [CANARY]);
}

/** The catalog, with optional extra features and plans appended to their lists. */
function catalogYaml(options: { proName?: string; extraFeatures?: string; extraPlans?: string } = {}): string {
  return `products:
  - identifier: acme
    name: Acme
    taxCode: saas
    settings:
      currency: USD
      vpn: true
features:
  - identifier: seats
    name: Seats
    featureType: CUSTOMIZABLE
  - identifier: sso
    name: SSO
    featureType: BOOLEAN
${options.extraFeatures ?? ''}plans:
  - identifier: free
    product: acme
    name: Free
    entitlements:
      seats: 1
    prices:
      - priceType: FREE
  - identifier: pro
    product: acme
    name: ${options.proName ?? 'Pro'}
    entitlements:
      seats: 10
      sso: true
    prices:
      - priceType: PAID
        currency: USD
        chargeCatalogPrice:
          - priceModel: FLAT
            charges:
              - chargePeriod: MONTHLY
                priceData: { amount: 29 }
${options.extraPlans ?? ''}`;
}

const TEAM_PLAN = `  - identifier: team
    product: acme
    name: Team
    entitlements:
      seats: 50
    prices:
      - priceType: FREE
`;

const METER_FEATURE = `  - identifier: api-calls
    name: API calls
    featureType: METER
    featureDetails:
      featureSubType: PRE_AGGREGATED_USAGE
      units: { singular: call, plural: calls }
`;

async function writeCatalog(name: string, text: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  return file;
}

/** Applies and publishes a catalog: Kelviq then matches it. */
async function applied(file: string, publish = true): Promise<void> {
  const ran = await cli(['apply', '--catalog', file, '--yes', ...(publish ? ['--publish'] : [])]);
  expect(ran.code, ran.stderr).toBe(0);
}

async function send(pending: Promise<{ status: number; text: string }>, status: number): Promise<void> {
  const response = await pending;
  expect(response.status, response.text).toBe(status);
}

async function productId(identifier: string): Promise<string> {
  const list = await api.get<{ results: Array<{ id: string; identifier: string }> }>('/catalog/products/');
  const product = list.body.results.find((p) => p.identifier === identifier);
  if (!product) throw new Error(`no product ${identifier}`);
  return product.id;
}

async function driftJson(file: string, extra: string[] = []): Promise<{ code: number; document: any; ran: Ran }> {
  const ran = await cli(['drift', '--catalog', file, '--json', ...extra]);
  return { code: ran.code, document: ran.stdout ? JSON.parse(ran.stdout) : undefined, ran };
}

beforeEach(async () => {
  emulator = await startEmulator({ port: 0, apiKey: CANARY });
  api = emulatorHttp(emulator.url, CANARY);
  dir = await mkdtemp(join(tmpdir(), 'kelviq-drift-'));
});
afterEach(async () => {
  await api.close();
  await emulator.close();
});

describe('exit codes', () => {
  test('0 when what customers see matches the catalog, 2 when it does not', async () => {
    const file = await writeCatalog('catalog', catalogYaml());
    const before = await cli(['drift', '--catalog', file, '--no-color']);
    expect(before.code).toBe(2);
    expect(before.stdout).toContain('Missing live (5)');

    await applied(file);
    const after = await cli(['drift', '--catalog', file]);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No drift. Kelviq sandbox matches the catalog.');
    const { code, document } = await driftJson(file);
    expect(code).toBe(0);
    expect(document).toEqual({
      formatVersion: 1,
      environment: 'sandbox',
      drift: false,
      summary: { 'changed-live': 0, 'pending-draft': 0, 'missing-live': 0, 'unmanaged-live': 0, total: 0 },
      ignoredUnmanaged: 0,
      warnings: [],
      // No plan reported, so no customers to count (item 3 of issue 11: test/engine/impact.e2e.test.ts).
      impact: { known: true, plans: [] },
      items: [],
    });
    // A scheduled job: it only reads, whatever it finds.
    const writes = () => emulator.requestLog.entries.filter((e) => e.method !== 'GET').length;
    const writesBefore = writes();
    await cli(['drift', '--catalog', await writeCatalog('other', catalogYaml({ proName: 'Renamed', extraPlans: TEAM_PLAN }))]);
    expect(writes()).toBe(writesBefore);
  });

  test('1 for an invalid catalog (nothing is requested), a missing key, a rejected key', async () => {
    const bad = await writeCatalog('bad', 'products:\n  - identifier: acme\n    name: Acme\n    taxCode: sass\n');
    const invalid = await cli(['drift', '--catalog', bad]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain(`${bad}:4:14`);
    expect(emulator.requestLog.entries).toEqual([]);

    const file = await writeCatalog('catalog', catalogYaml());
    const noKey = await cli(['drift', '--catalog', file], { KELVIQ_SANDBOX_SERVER_API_KEY: undefined });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/KELVIQ_SANDBOX_SERVER_API_KEY is not set/);
    const noProdKey = await cli(['drift', '--catalog', file, '--prod']);
    expect(noProdKey.code).toBe(1);
    expect(noProdKey.stderr).toMatch(/KELVIQ_SERVER_API_KEY is not set/);

    const rejected = await cli(['drift', '--catalog', file, '--markdown'], { KELVIQ_SANDBOX_SERVER_API_KEY: `${CANARY}-wrong` });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/failed with 401/);
    expect(rejected.stdout).toBe('');
    expect(rejected.stderr).not.toContain(`${CANARY}-wrong`);
  });

  test('1 when the API answers with an error', async () => {
    const file = await writeCatalog('catalog', catalogYaml());
    // A base URL with a wrong path: every list answers 404 (not retried).
    const ran = await cli(['drift', '--catalog', file, '--json'], { KELVIQ_SANDBOX_BASE_URL: `${emulator.origin}/wrong/api/v1` });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toMatch(/failed with 404/);
    // A CI step piping --json into jq reads the failure (issue 11, item 4).
    expect(JSON.parse(ran.stdout)).toEqual({ formatVersion: 1, error: { code: 'api', status: 404, message: expect.stringMatching(/failed with 404/), request: { method: 'GET', path: expect.any(String) } } });
  });
});

describe('categories', () => {
  test('changed live: a published plan edited and republished, and product settings changed, value by value', async () => {
    const file = await writeCatalog('catalog', catalogYaml());
    await applied(file);
    await send(api.patch('/catalog/plans/pro/', { name: 'Pro (edited)' }), 200);
    await send(api.patch('/catalog/plans/pro/features/seats/', { details: { value: 20 } }), 200);
    await send(api.post('/catalog/plans/pro/publish/'), 200);
    await send(api.patch(`/catalog/products/${await productId('acme')}/settings/`, { vpn: false }), 200);

    const text = await cli(['drift', '--catalog', file, '--no-color']);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('Changed live (2)');
    expect(text.stdout).toMatch(/~ product acme {2}.*catalog\.yaml:2:5\n {6}~ settings\.vpn: true -> false\n/);
    expect(text.stdout).toMatch(/~ plan pro {2}.*catalog\.yaml:\d+:5\n {6}~ entitlements\.seats\.value: 10 -> 20\n {6}~ name: "Pro" -> "Pro \(edited\)"\n/);
    expect(text.stdout).not.toContain('Pending drafts');
    expect(text.stdout).toContain('Drift found in Kelviq sandbox: 2 changed live, 0 pending draft, 0 missing live, 0 unmanaged live.');

    const { document } = await driftJson(file);
    expect(document.items).toEqual([
      {
        category: 'changed-live',
        kind: 'product',
        identifier: 'acme',
        location: `${file}:2:5`,
        changes: [{ path: ['settings', 'vpn'], kind: 'replace', before: true, after: false }],
      },
      {
        category: 'changed-live',
        kind: 'plan',
        identifier: 'pro',
        location: expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:5$`)),
        changes: [
          { path: ['entitlements', 'seats', 'value'], kind: 'replace', before: 10, after: 20 },
          { path: ['name'], kind: 'replace', before: 'Pro', after: 'Pro (edited)' },
        ],
      },
    ]);
  });

  test('changed live: an entitlement granted and one taken away live read as added and removed, as Kelviq holds them', async () => {
    const file = await writeCatalog('catalog', catalogYaml());
    await applied(file);
    const features = await api.get<{ results: Array<{ id: string; identifier: string }> }>('/catalog/features/');
    const sso = features.body.results.find((f) => f.identifier === 'sso')!;
    await send(api.post('/catalog/plans/free/features/', { planEntitlements: [{ feature: sso.id, details: { value: true } }] }), 201);
    await send(api.delete('/catalog/plans/free/features/seats/'), 204);
    await send(api.post('/catalog/plans/free/publish/'), 200);

    const { code, document } = await driftJson(file);
    expect(code).toBe(2);
    expect(document.items).toEqual([
      expect.objectContaining({
        category: 'changed-live',
        identifier: 'free',
        changes: [
          { path: ['entitlements', 'seats'], kind: 'remove', before: { value: 1 } },
          { path: ['entitlements', 'sso'], kind: 'add', after: expect.objectContaining({ value: true }) },
        ],
      }),
    ]);
    // The live entitlement is shown with every value Kelviq holds for it (no documented default lets a report
    // tell what someone set from what the server filled in), projected onto the format: no server-owned field.
    const added = document.items[0].changes[1].after as Record<string, unknown>;
    const live = await api.get<{ results: Array<{ feature: { identifier: string }; details: Record<string, unknown> }> }>('/catalog/plans/free/features/');
    const held = live.body.results.find((entitlement) => entitlement.feature.identifier === 'sso')!.details;
    for (const [key, value] of Object.entries(added)) expect(held[key], key).toEqual(value);
    expect(Object.keys(added)).not.toContain('isInherited');
    const text = await cli(['drift', '--catalog', file, '--no-color']);
    expect(text.stdout).toContain('      - entitlements.seats: {"value":1}\n      + entitlements.sso: {"value":true,');
  });

  test('pending draft: a draft made outside the tool, shown against the published version and the catalog', async () => {
    const file = await writeCatalog('catalog', catalogYaml());
    await applied(file);
    await send(api.patch('/catalog/plans/pro/', { name: 'Pro draft' }), 200);

    const text = await cli(['drift', '--catalog', file, '--no-color']);
    expect(text.code).toBe(2);
    // Customers still see v1, which matches the catalog: nothing changed live.
    expect(text.stdout).not.toContain('Changed live');
    expect(text.stdout).toContain('! plan pro: draft v2 over published v1 (customers see v1)');
    expect(text.stdout).toMatch(/published v1 -> draft v2:\n {8}~ name: "Pro" -> "Pro draft"\n {6}catalog -> v2:\n {8}~ name: "Pro" -> "Pro draft"\n/);

    const { document } = await driftJson(file);
    expect(document.summary).toMatchObject({ 'pending-draft': 1, total: 1 });
    expect(document.items[0]).toMatchObject({
      category: 'pending-draft',
      kind: 'plan',
      identifier: 'pro',
      changes: [{ path: ['name'], kind: 'replace', before: 'Pro', after: 'Pro draft' }],
      draft: {
        version: 2,
        publishedVersion: 1,
        matchesCatalog: false,
        fromPublished: [{ path: ['name'], kind: 'replace', before: 'Pro', after: 'Pro draft' }],
      },
    });
  });

  test('pending draft left by apply without --publish: customers see the old values (changed live), the draft matches', async () => {
    await applied(await writeCatalog('v1', catalogYaml()));
    const renamed = await writeCatalog('v2', catalogYaml({ proName: 'Pro Plus', extraPlans: TEAM_PLAN }));
    await applied(renamed, false);

    const { code, document } = await driftJson(renamed);
    expect(code).toBe(2);
    expect(document.items).toEqual([
      expect.objectContaining({ category: 'changed-live', identifier: 'pro', changes: [{ path: ['name'], kind: 'replace', before: 'Pro Plus', after: 'Pro' }] }),
      expect.objectContaining({
        category: 'pending-draft',
        identifier: 'pro',
        changes: [],
        draft: { version: 2, publishedVersion: 1, matchesCatalog: true, fromPublished: [{ path: ['name'], kind: 'replace', before: 'Pro', after: 'Pro Plus' }] },
      }),
      expect.objectContaining({
        category: 'pending-draft',
        identifier: 'team',
        changes: [],
        draft: { version: 1, publishedVersion: null, matchesCatalog: true, fromPublished: null },
      }),
    ]);
    const text = await cli(['drift', '--catalog', renamed, '--no-color']);
    expect(text.stdout).toContain('! plan team: unpublished v1, never published');
    expect(text.stdout).toContain('v2 matches the catalog (apply --publish publishes it)');
    // Against production the command to run says --prod (without it, apply would write to the sandbox).
    const prod = await cli(['drift', '--catalog', renamed, '--no-color', '--prod'], { KELVIQ_BASE_URL: emulator.url, KELVIQ_SERVER_API_KEY: CANARY });
    expect(prod.stdout).toContain('v2 matches the catalog (apply --prod --publish publishes it)');

    // Publishing them brings everything in sync.
    await applied(renamed);
    expect((await cli(['drift', '--catalog', renamed])).code).toBe(0);
  });

  test('missing live: declared resources absent in Kelviq, with where they are declared', async () => {
    await applied(await writeCatalog('base', catalogYaml()));
    const file = await writeCatalog('catalog', catalogYaml({ extraFeatures: METER_FEATURE, extraPlans: TEAM_PLAN }));
    const { code, document } = await driftJson(file);
    expect(code).toBe(2);
    expect(document.summary).toEqual({ 'changed-live': 0, 'pending-draft': 0, 'missing-live': 2, 'unmanaged-live': 0, total: 2 });
    expect(document.items).toEqual([
      { category: 'missing-live', kind: 'feature', identifier: 'api-calls', location: `${file}:15:5`, changes: [] },
      { category: 'missing-live', kind: 'plan', identifier: 'team', location: expect.stringMatching(/catalog\.yaml:\d+:5$/), changes: [] },
    ]);
    const text = await cli(['drift', '--catalog', file, '--no-color']);
    expect(text.stdout).toContain(`Missing live (2)`);
    expect(text.stdout).toContain(`  - feature api-calls  ${file}:15:5`);
  });

  test('unmanaged live: marked managed or not; --ignore-unmanaged leaves out only the unmarked', async () => {
    // `legacy` is created by kelviq-catalog (it carries the marker), then removed from the catalog.
    const legacy = `  - identifier: legacy
    product: acme
    name: Legacy
    prices:
      - priceType: FREE
`;
    await applied(await writeCatalog('with-legacy', catalogYaml({ extraPlans: legacy })));
    const file = await writeCatalog('catalog', catalogYaml());
    // Made by hand in the dashboard.
    await send(api.post('/catalog/products/', { name: 'Side project', identifier: 'side', taxCode: 'saas' }), 201);
    await send(api.post('/catalog/features/', { name: 'Beta', identifier: 'beta', featureType: 'BOOLEAN' }), 201);

    const { code, document } = await driftJson(file);
    expect(code).toBe(2);
    expect(document.items).toEqual([
      { category: 'unmanaged-live', kind: 'product', identifier: 'side', managed: false, changes: [] },
      { category: 'unmanaged-live', kind: 'feature', identifier: 'beta', managed: false, changes: [] },
      { category: 'unmanaged-live', kind: 'plan', identifier: 'legacy', managed: true, changes: [] },
    ]);
    const text = await cli(['drift', '--catalog', file, '--no-color']);
    expect(text.stdout).toContain('? plan legacy  managed: created by kelviq-catalog, since removed from the catalog');
    expect(text.stdout).toContain('? feature beta  not managed: created outside kelviq-catalog');

    const ignoring = await driftJson(file, ['--ignore-unmanaged']);
    expect(ignoring.code).toBe(2);
    expect(ignoring.document.items).toEqual([{ category: 'unmanaged-live', kind: 'plan', identifier: 'legacy', managed: true, changes: [] }]);
    expect(ignoring.document.ignoredUnmanaged).toBe(2);

    // Once the managed leftover is archived, only hand-made resources remain: in sync when they are ignored.
    await send(api.delete('/catalog/plans/legacy/'), 204);
    expect((await cli(['drift', '--catalog', file])).code).toBe(2);
    const clean = await cli(['drift', '--catalog', file, '--ignore-unmanaged', '--no-color']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('2 live resource(s) not in the catalog and not created by kelviq-catalog ignored (--ignore-unmanaged).');
  });
});

describe('outputs', () => {
  /** One of each category. */
  async function everyKindOfDrift(): Promise<string> {
    await applied(await writeCatalog('base', catalogYaml()));
    await send(api.patch('/catalog/plans/free/', { name: 'Free (edited)' }), 200);
    await send(api.post('/catalog/plans/free/publish/'), 200);
    await send(api.patch('/catalog/plans/pro/', { name: 'Pro draft' }), 200);
    await send(api.post('/catalog/features/', { name: 'Beta', identifier: 'beta', featureType: 'BOOLEAN' }), 201);
    return writeCatalog('catalog', catalogYaml({ extraPlans: TEAM_PLAN }));
  }

  test('--markdown is an issue body: title line, summary table, details per resource, how to fix', async () => {
    const file = await everyKindOfDrift();
    const ran = await cli(['drift', '--catalog', file, '--markdown']);
    expect(ran.code).toBe(2);
    const markdown = ran.stdout;
    expect(markdown.split('\n')[0]).toBe('## Kelviq catalog drift: sandbox');
    expect(markdown).toContain('**Drift found in Kelviq sandbox: 1 changed live, 1 pending draft, 1 missing live, 1 unmanaged live.**');
    expect(markdown).toContain('| `~` | Changed live | 1 |');
    expect(markdown).toContain('| `?` | Unmanaged live | 1 |');
    expect(markdown).toContain('#### plan `free`\n\nDeclared at `' + file);
    expect(markdown).toContain('Catalog → live:\n\n```diff\n~ name: "Free" -> "Free (edited)"\n```');
    expect(markdown).toContain('#### plan `pro` — draft v2 over published v1 (customers see v1)');
    expect(markdown).toContain('Published v1 → draft v2:\n\n```diff\n~ name: "Pro" -> "Pro draft"\n```');
    expect(markdown).toContain('- plan `team` — declared at `' + file);
    expect(markdown).toContain('- feature `beta` — not managed: created outside kelviq-catalog');
    expect(markdown).toContain('### How to fix');
    expect(markdown).toContain('`kelviq-catalog plan` shows what would change, `kelviq-catalog apply --publish` applies it');
    expect(markdown).toContain('`kelviq-catalog pull` writes the live catalog as files');
    expect(markdown).not.toMatch(/\x1b\[/);
    // Stable: the same state prints the same bytes.
    expect((await cli(['drift', '--catalog', file, '--markdown'])).stdout).toBe(markdown);
  });

  test('--prod checks production and says so in the fixes', async () => {
    const file = await everyKindOfDrift();
    const ran = await cli(['drift', '--catalog', file, '--markdown', '--prod'], { KELVIQ_BASE_URL: emulator.url, KELVIQ_SERVER_API_KEY: CANARY });
    expect(ran.code).toBe(2);
    expect(ran.stdout.split('\n')[0]).toBe('## Kelviq catalog drift: production');
    expect(ran.stdout).toContain('`kelviq-catalog apply --prod --publish`');
  });

  test('--json: the versioned document, sorted, identical on every run and equal to the library\'s', async () => {
    const file = await everyKindOfDrift();
    const first = await cli(['drift', '--catalog', file, '--json']);
    const second = await cli(['drift', '--catalog', file, '--json']);
    expect(second.stdout).toBe(first.stdout);
    const document = JSON.parse(first.stdout);
    expect(Object.keys(document)).toEqual(['formatVersion', 'environment', 'drift', 'summary', 'ignoredUnmanaged', 'warnings', 'impact', 'items']);
    expect(document).toMatchObject({ formatVersion: 1, environment: 'sandbox', drift: true });
    expect(document.summary).toEqual({ 'changed-live': 1, 'pending-draft': 1, 'missing-live': 1, 'unmanaged-live': 1, total: 4 });
    expect(document.items.map((item: any) => `${item.category} ${item.kind} ${item.identifier}`)).toEqual([
      'changed-live plan free',
      'pending-draft plan pro',
      'missing-live plan team',
      'unmanaged-live feature beta',
    ]);
    for (const item of document.items) {
      expect(Object.keys(item).slice(0, 3)).toEqual(['category', 'kind', 'identifier']);
      expect(item.changes).toEqual(expect.any(Array));
      if (item.category === 'unmanaged-live') expect(item).not.toHaveProperty('location');
      else expect(item.location).toMatch(/^.+catalog\.yaml:\d+:\d+$/);
    }

    // The library does what the CLI does.
    const { catalog, locations } = await loadCatalog(file);
    const client = createClient(resolveTarget({ env: { KELVIQ_SANDBOX_BASE_URL: emulator.url, KELVIQ_SANDBOX_SERVER_API_KEY: CANARY } }));
    try {
      const report = await detectDrift({
        client,
        catalog: catalog!,
        environment: 'sandbox',
        locate: (pointer) => {
          const at = locations.locate(pointer);
          return at && `${at.file}:${at.line}:${at.column}`;
        },
      });
      expect(driftJsonDocument(report)).toEqual(document);
    } finally {
      await client.close();
    }
  });

  test('text: grouped with symbols; colour only when asked for and not refused', async () => {
    const file = await everyKindOfDrift();
    const plain = await cli(['drift', '--catalog', file]);
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    const headings = plain.stdout.split('\n').filter((line) => /^\w[\w ]+ \(\d+\)/.test(line)).map((line) => line.replace(/ {2}.*$/, ''));
    expect(headings).toEqual(['Changed live (1)', 'Pending drafts (1)', 'Missing live (1)', 'Unmanaged live (1)']);
    expect(plain.stdout).toContain(`Kelviq sandbox (${emulator.url}): drift from the catalog (published versions)`);
    const colored = await cli(['drift', '--catalog', file], { FORCE_COLOR: '1' });
    expect(colored.stdout).toMatch(/\x1b\[33m~ plan free/);
    expect((await cli(['drift', '--catalog', file], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(/\x1b\[/);
    expect((await cli(['drift', '--catalog', file, '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toMatch(/\x1b\[/);
  });

  test('GITHUB_STEP_SUMMARY: the Markdown report is appended, whatever is printed, and holds no key', async () => {
    const file = await everyKindOfDrift();
    const summary = join(dir, 'summary.md');
    await writeFile(summary, 'earlier step\n');
    const markdown = (await cli(['drift', '--catalog', file, '--markdown'])).stdout;
    const ran = await cli(['drift', '--catalog', file, '--json'], { GITHUB_STEP_SUMMARY: summary });
    expect(ran.code).toBe(2);
    expect(JSON.parse(ran.stdout).drift).toBe(true);
    const written = await readFile(summary, 'utf8');
    expect(written).toBe(`earlier step\n${markdown}`);
    expect(written).not.toContain(CANARY);
  });

  test('the key is never printed, even when the catalog itself contains it', async () => {
    // A careless copy-paste: the key ends up in a plan name. Every output redacts it.
    await applied(await writeCatalog('base', catalogYaml()));
    const file = await writeCatalog('catalog', catalogYaml({ proName: `Pro ${CANARY}` }));
    const summary = join(dir, 'summary.md');
    for (const format of [[], ['--json'], ['--markdown']]) {
      const ran = await cli(['drift', '--catalog', file, ...format], { GITHUB_STEP_SUMMARY: summary });
      expect(ran.code).toBe(2);
      expect(ran.stdout).toContain('Pro ***');
    }
    expect(await readFile(summary, 'utf8')).not.toContain(CANARY);
  });
});
