import { z } from 'zod';
import {
  completeAnalysis,
  findAnalysis,
  findRecentByUrlHash,
  insertAnalysis,
  insertNewAnalyses,
  listAnalyses,
  setTimeZone,
  type AnalysisListItem,
  type AnalysisRow,
} from '../db/analysis-repo.js';
import { advisoryXactLock } from '../db/locks.js';
import type { ImportEntry } from '../domain/import-file.js';
import { ResultsSummarySchema, type ResultsSummary } from '../domain/results-summary.js';
import { normalizeUrl, urlHash } from '../domain/url.js';
import { AppError, InvalidInputError, fieldErrors } from '../errors.js';
import { requireAnalysis } from './analysis-state.js';
import type { ServiceDeps } from './deps.js';

const URL_DEDUP_TTL = 7 * 24 * 3600;
const DEDUP_WINDOW_MS = URL_DEDUP_TTL * 1000;

export type IntakeResult = { analysis_id: string; status: AnalysisRow['status']; cached: boolean };
export type ImportReport = {
  created: number;
  skipped: number;
  failed: number;
  errors: { line: number; error: string }[];
};

type ImportRow = { url: string; url_hash: string; results_summary: ResultsSummary; created_at: Date };

const ImportRowSchema = z.object({
  url: z.string().min(1).max(2048),
  results_summary: ResultsSummarySchema,
  created_at: z.coerce.date().optional(),
});

/** Parses a URL or fails with INVALID_INPUT naming the `url` field. */
function requireNormalizedUrl(url: string): string {
  const normalized = normalizeUrl(url);
  if (!normalized)
    throw new InvalidInputError('url must be an absolute http(s) URL', [{ field: 'url', message: 'Invalid URL' }]);
  return normalized;
}

/** Analysis intake: new analyses, their results, and URL deduplication. */
export class AnalysisService {
  constructor(private readonly deps: ServiceDeps) {}

  private dedupKey(hash: string): string {
    return `analysis:cache:${hash}`;
  }

  /**
   * Returns the analysis of a URL seen in the last 7 days (cache first, then the `url_hash`
   * column), or creates one. A transaction-level advisory lock on the hash makes concurrent
   * intakes of one URL create a single row.
   */
  async createAnalysis(input: {
    url: string;
    results_summary?: ResultsSummary | undefined;
    time_zone?: string | undefined;
  }): Promise<IntakeResult> {
    const normalized = requireNormalizedUrl(input.url);
    const hash = urlHash(normalized);
    const cachedId = await this.deps.cache.get<string>(this.dedupKey(hash));
    if (cachedId) {
      const hit = await findAnalysis(this.deps.db, cachedId);
      if (hit && this.deps.clock.now().getTime() - hit.created_at.getTime() < DEDUP_WINDOW_MS) {
        await this.applyTimeZone(hit, input.time_zone);
        return { analysis_id: hit.id, status: hit.status, cached: true };
      }
    }
    const { row, created } = await this.deps.db.transaction(async (trx) => {
      await advisoryXactLock(trx, hash);
      const now = this.deps.clock.now();
      const recent = await findRecentByUrlHash(trx, hash, new Date(now.getTime() - DEDUP_WINDOW_MS));
      if (recent) return { row: recent, created: false };
      const inserted = await insertAnalysis(trx, {
        url: input.url.trim(),
        url_hash: hash,
        results_summary: input.results_summary ?? null,
        time_zone: input.time_zone ?? null,
        created_at: now,
      });
      return { row: inserted, created: true };
    });
    if (!created) await this.applyTimeZone(row, input.time_zone);
    const ageSeconds = Math.floor((this.deps.clock.now().getTime() - row.created_at.getTime()) / 1000);
    await this.deps.cache.set(this.dedupKey(hash), row.id, Math.max(1, URL_DEDUP_TTL - ageSeconds));
    return { analysis_id: row.id, status: row.status, cached: !created };
  }

  /** A repeat intake that names a time zone sets it on the existing analysis. */
  private async applyTimeZone(row: AnalysisRow, timeZone: string | undefined): Promise<void> {
    if (!timeZone || timeZone === row.time_zone) return;
    await this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      await setTimeZone(trx, row.id, timeZone);
      invalidate(row.id);
    });
  }

  /** Completes a pending analysis with its results. */
  async completeResults(analysisId: string, summary: ResultsSummary): Promise<AnalysisRow> {
    return this.deps.cache.invalidatingTransaction(this.deps.db, async (trx, invalidate) => {
      const analysis = await requireAnalysis(trx, analysisId, { forUpdate: true });
      if (analysis.status === 'COMPLETE') {
        throw new AppError('INVALID_TRANSITION', 400, `Analysis ${analysisId} is already COMPLETE`);
      }
      invalidate(analysisId);
      return completeAnalysis(trx, analysisId, summary, this.deps.clock.now());
    });
  }

  /** The newest analyses, for operators looking for an id. */
  async listAnalyses(opts: { urlContains?: string | undefined; limit: number }): Promise<AnalysisListItem[]> {
    return listAnalyses(this.deps.db, opts);
  }

  async getAnalysis(analysisId: string): Promise<AnalysisRow> {
    return requireAnalysis(this.deps.db, analysisId);
  }

  /**
   * Imports analyses from a stream of records (see `splitImport`), idempotent by normalized URL:
   * valid rows are written in multi-row batches, each in its own transaction, so memory stays
   * flat whatever the file size. `onProgress` is called after each batch.
   */
  async importAnalyses(
    entries: AsyncIterable<ImportEntry> | Iterable<ImportEntry>,
    opts: { batchSize?: number; onProgress?: (report: ImportReport) => void } = {},
  ): Promise<ImportReport> {
    const batchSize = opts.batchSize ?? 2000;
    const report: ImportReport = { created: 0, skipped: 0, failed: 0, errors: [] };
    let batch: ImportRow[] = [];
    const flush = async () => {
      const inserted = await insertNewAnalyses(this.deps.db, batch);
      report.created += inserted.size;
      report.skipped += batch.length - inserted.size;
      batch = [];
      opts.onProgress?.(report);
    };
    const seen = new Set<string>(); // hashes of the current batch: a repeat inside a batch is skipped
    for await (const entry of entries) {
      const row = this.importRow(entry, report);
      if (!row) continue;
      if (seen.has(row.url_hash)) {
        report.skipped++;
        continue;
      }
      seen.add(row.url_hash);
      batch.push(row);
      if (batch.length >= batchSize) {
        await flush();
        seen.clear();
      }
    }
    await flush();
    return report;
  }

  /** A valid import row, or null with the failure recorded on the report. */
  private importRow(entry: ImportEntry, report: ImportReport): ImportRow | null {
    const fail = (error: string) => {
      report.failed++;
      report.errors.push({ line: entry.line, error });
      return null;
    };
    if ('error' in entry) return fail(entry.error);
    const parsed = ImportRowSchema.safeParse(entry.value);
    if (!parsed.success)
      return fail(
        fieldErrors(parsed.error.issues)
          .map((f) => `${f.field}: ${f.message}`)
          .join('; '),
      );
    const normalized = normalizeUrl(parsed.data.url);
    if (!normalized) return fail('url: must be an absolute http(s) URL');
    return {
      url: parsed.data.url.trim(),
      url_hash: urlHash(normalized),
      results_summary: parsed.data.results_summary,
      created_at: parsed.data.created_at ?? this.deps.clock.now(),
    };
  }
}
