import { test, expect } from 'vitest';
import { ok } from '../src/index.js';
test('smoke', () => { expect(ok).toBe(1); });
