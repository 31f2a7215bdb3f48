/**
 * YAML document → plain JS value, in one pass that also enforces the resource limits the yaml library's own
 * `toJS()` would not all enforce, and records what each alias points to (for locating problems later):
 * - nesting depth, counting what aliases expand to;
 * - alias uses (`maxAliasCount`) and the number of nodes aliases expand to (alias bombs stay small as text
 *   but explode when expanded; the value built here shares the aliased object instead of copying it, but
 *   everything downstream walks the expansion);
 * - aliases to an anchor that is not set before them, and aliases inside their own anchor (which would
 *   build a cyclic value);
 * - duplicate keys: the yaml library's own check compares every key with every earlier one (quadratic: a
 *   single 40,000-key mapping takes seconds, a 5 MiB one minutes), so it is off and done here with a Map;
 * - YAML 1.1 merge keys (`<<: *base`), which YAML 1.2 reads as a plain key named "<<": one clear error
 *   with what to write instead, and the key left out;
 * - numbers that are not finite (`.inf`, `.nan`, `1e309`): JSON has no such values, so they would be sent as
 *   null and compare as a difference on every plan. Checked here, once for every value (metadata included),
 *   rather than by each schema.
 * - a key named `__proto__`, which JavaScript tools drop or misread: an error, and the key left out.
 * It never throws for any document; what it cannot convert becomes null plus a diagnostic.
 */
import { isAlias, isMap, isScalar, isSeq, type Alias, type Node } from 'yaml';
import type { Diagnostic } from '../model.js';
import { error } from '../diagnostics.js';
import type { LoadLimits } from './limits.js';
import { locationOfNode, type SourceFile } from './source-file.js';

interface Expansion {
  value: unknown;
  /** Nodes the subtree expands to, aliases followed. */
  size: number;
  /** Levels of nesting below and including this node, aliases followed. */
  height: number;
}

/** `<<` written plain: a merge key in YAML 1.1, a plain string key in 1.2; quoted, it is an ordinary key. */
const isMergeKey = (key: unknown) => isScalar(key) && key.value === '<<' && key.type === 'PLAIN';

function mergeKeyMessage(value: unknown, pairs: number, parentKey: string | undefined): string {
  const base = 'YAML merge keys (<<) are not supported: they are not part of YAML 1.2, and other tools would read them differently';
  const anchor = isAlias(value) ? value.source : undefined;
  if (anchor !== undefined && pairs === 1 && parentKey !== undefined) return `${base}; write \`${parentKey}: *${anchor}\` to reuse the whole value`;
  return `${base}; reuse a whole value with an alias (\`key: *${anchor ?? 'anchor'}\`), or write the keys out`;
}

function nonFiniteMessage(source: string, key: string | undefined): string {
  const written = source.trim();
  const what = /^[-+]?\.(inf|nan)$/i.test(written) ? `${written} is not a finite number` : `${written} is too large for a number (it overflows to infinity)`;
  if (key === 'upTo') return `${what}; for an unbounded tier write \`upTo: inf\` (no dot)`;
  return `${what}; JSON has no such value: it would be sent as null and never match the live value`;
}

export function documentToValue(file: SourceFile, limits: LoadLimits): { value: unknown; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const anchors = new Map<string, Node>();
  const converted = new Map<Node, Expansion>();
  const inProgress = new Set<Node>();
  let expandedNodes = 0;
  let aliasUses = 0;
  let stopped = false; // after a resource limit, nothing more is expanded: the file is refused anyway
  let depthReported = false;

  const refuse = (code: string, message: string, node: Node) => {
    diagnostics.push(error(code, message, locationOfNode(file, node)));
  };

  const convert = (node: unknown, depth: number, key?: string): Expansion => {
    const parentKey = key;
    if (stopped || node === null || node === undefined) return { value: null, size: 1, height: 1 };
    if (depth > limits.maxDepth) {
      if (!depthReported) refuse('yaml-nesting-depth', `nesting deeper than ${limits.maxDepth} levels`, node as Node);
      depthReported = true;
      stopped = true;
      return { value: null, size: 1, height: 1 };
    }
    if (isAlias(node)) return convertAlias(node, depth);
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) return { value: null, size: 1, height: 1 };
    if (node.anchor) anchors.set(node.anchor, node); // set before the children: an alias inside refers to it
    expandedNodes++;
    let result: Expansion;
    if (isScalar(node)) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value)) refuse('non-finite-number', nonFiniteMessage(node.source ?? String(node.value), key), node);
      result = { value: node.value, size: 1, height: 1 };
    } else if (isMap(node)) {
      inProgress.add(node);
      const object: Record<string, unknown> = {};
      const keys = new Map<string, Node>();
      let size = 1;
      let height = 1;
      for (const pair of node.items) {
        if (isMergeKey(pair.key)) {
          // Left out of the value: reported once here, not again as an unknown key or a bad identifier.
          refuse('yaml-merge-key', mergeKeyMessage(pair.value, node.items.length, parentKey), pair.key as Node);
          continue;
        }
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined) {
          const first = keys.get(key);
          if (first) {
            diagnostics.push(
              error('yaml-duplicate-key', `duplicate key "${key}": it is already set earlier in the same mapping`, locationOfNode(file, pair.key as Node), [
                { ...locationOfNode(file, first), message: 'first set here' },
              ]),
            );
          } else {
            keys.set(key, pair.key as Node);
          }
        }
        const child = convert(pair.value, depth + 1, key);
        size += child.size;
        height = Math.max(height, child.height + 1);
        if (key === undefined) continue; // reported by the parser (stringKeys)
        if (key === '__proto__') {
          // JavaScript treats this name specially: the schemas (zod) drop it, so it would silently never reach
          // Kelviq and plan would never show it. Said once, where it is written, and left out.
          diagnostics.push(
            error(
              'yaml-reserved-key',
              'a key named "__proto__" is not supported: JavaScript tools (this one included) drop or misread it, so it would never reach Kelviq; rename it',
              locationOfNode(file, pair.key as Node),
            ),
          );
          continue;
        }
        object[key] = child.value;
      }
      inProgress.delete(node);
      result = { value: object, size, height };
    } else {
      inProgress.add(node);
      const list: unknown[] = [];
      let size = 1;
      let height = 1;
      for (const item of node.items) {
        const child = convert(item, depth + 1);
        size += child.size;
        height = Math.max(height, child.height + 1);
        list.push(child.value);
      }
      inProgress.delete(node);
      result = { value: list, size, height };
    }
    if (node.anchor) converted.set(node, result);
    return result;
  };

  const convertAlias = (alias: Alias, depth: number): Expansion => {
    const target = anchors.get(alias.source);
    const nothing = { value: null, size: 1, height: 1 };
    if (!target) {
      refuse('yaml-alias-undefined', `alias *${alias.source} refers to no anchor &${alias.source} set before it`, alias);
      return nothing;
    }
    if (inProgress.has(target)) {
      refuse('yaml-alias-cycle', `alias *${alias.source} is inside its own anchor &${alias.source}: it would repeat forever`, alias);
      return nothing;
    }
    file.aliasTargets.set(alias, target);
    const expansion = converted.get(target) ?? nothing;
    aliasUses++;
    expandedNodes += expansion.size;
    if (aliasUses > limits.maxAliasCount) {
      refuse('yaml-alias-limit', `more than ${limits.maxAliasCount} alias uses in one file`, alias);
      stopped = true;
      return nothing;
    }
    if (expandedNodes > limits.maxExpandedNodes) {
      refuse('yaml-alias-limit', `aliases expand this file to more than ${limits.maxExpandedNodes} values (an alias bomb?)`, alias);
      stopped = true;
      return nothing;
    }
    if (depth + expansion.height - 1 > limits.maxDepth) {
      refuse('yaml-nesting-depth', `nesting deeper than ${limits.maxDepth} levels once alias *${alias.source} is expanded`, alias);
      stopped = true;
      return nothing;
    }
    return expansion;
  };

  const { value } = convert(file.doc.contents, 1);
  return { value, diagnostics };
}
