/**
 * DRF's PageNumberPagination, as Kelviq configures it: `?page=N&page_size=M`, default and maximum 100 (a larger
 * size is capped, a malformed one falls back to the default), 1-based pages (`last` allowed), 404 "Invalid page."
 * for anything else, and absolute next/previous links built from the request's own URL with its other
 * parameters kept (sorted, like DRF's `replace_query_param`; the link to page 1 drops `page`).
 */
import { detailError } from './errors.js';

export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** `defaultPageSize`: what a request without (or with a malformed) `page_size` gets; 100 for the catalog lists. */
export function paginate<T>(items: readonly T[], requestUrl: URL, defaultPageSize = MAX_PAGE_SIZE): Page<T> {
  const pageSize = parsePageSize(requestUrl.searchParams.get('page_size'), defaultPageSize);
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const page = parsePage(requestUrl.searchParams.get('page'), pageCount);
  const start = (page - 1) * pageSize;
  return {
    count: items.length,
    next: page < pageCount ? linkTo(requestUrl, page + 1) : null,
    previous: page > 1 ? linkTo(requestUrl, page - 1) : null,
    results: items.slice(start, start + pageSize),
  };
}

function parsePageSize(raw: string | null, defaultPageSize: number): number {
  if (raw === null || !/^\s*\+?\d+\s*$/.test(raw)) return defaultPageSize;
  const size = Number(raw);
  return size > 0 ? Math.min(size, MAX_PAGE_SIZE) : defaultPageSize;
}

function parsePage(raw: string | null, pageCount: number): number {
  if (raw === null) return 1;
  if (raw === 'last') return pageCount;
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) throw detailError(404, 'Invalid page.');
  const page = Number(raw);
  if (page < 1 || page > pageCount) throw detailError(404, 'Invalid page.');
  return page;
}

function linkTo(requestUrl: URL, page: number): string {
  const params = new URLSearchParams(requestUrl.searchParams);
  if (page === 1) params.delete('page');
  else params.set('page', String(page));
  params.sort();
  const url = new URL(requestUrl);
  url.search = params.toString();
  return url.toString();
}
