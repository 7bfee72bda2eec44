import { z } from 'zod';
import {
  completeAnalysis,
  existsByUrlHash,
  findAnalysis,
  findRecentByUrlHash,
  insertAnalysis,
  setTimeZone,
  type AnalysisRow,
} from '../db/analysis-repo.js';
import { advisoryXactLock } from '../db/locks.js';
import { parseImportFile } from '../domain/import-file.js';
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

const ImportRowSchema = z.object({
  url: z.string().min(1).max(2048),
  results_summary: ResultsSummarySchema,
  created_at: z.coerce.date().optional(),
});

/** Parses a URL or fails with INVALID_INPUT naming the `url` field. */
function requireNormalizedUrl(url: string): string {
  const normalized = normalizeUrl(url);
  if (!normalized) throw new InvalidInputError('url must be an absolute http(s) URL', [{ field: 'url', message: 'Invalid URL' }]);
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
  async createAnalysis(input: { url: string; results_summary?: ResultsSummary | undefined; time_zone?: string | undefined }): Promise<IntakeResult> {
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
    await setTimeZone(this.deps.db, row.id, timeZone);
    await this.deps.cache.invalidateAnalysis(row.id);
  }

  /** Completes a pending analysis with its results. */
  async completeResults(analysisId: string, summary: ResultsSummary): Promise<AnalysisRow> {
    const row = await this.deps.db.transaction(async (trx) => {
      const analysis = await requireAnalysis(trx, analysisId, { forUpdate: true });
      if (analysis.status === 'COMPLETE') {
        throw new AppError('INVALID_TRANSITION', 400, `Analysis ${analysisId} is already COMPLETE`);
      }
      return completeAnalysis(trx, analysisId, summary, this.deps.clock.now());
    });
    await this.deps.cache.invalidateAnalysis(analysisId);
    return row;
  }

  async getAnalysis(analysisId: string): Promise<AnalysisRow> {
    return requireAnalysis(this.deps.db, analysisId);
  }

  /** Imports analyses from a JSON array or NDJSON text; idempotent by normalized URL. */
  async importAnalyses(text: string): Promise<ImportReport> {
    const report: ImportReport = { created: 0, skipped: 0, failed: 0, errors: [] };
    for (const entry of parseImportFile(text)) {
      const fail = (error: string) => {
        report.failed++;
        report.errors.push({ line: entry.line, error });
      };
      if ('error' in entry) {
        fail(entry.error);
        continue;
      }
      const parsed = ImportRowSchema.safeParse(entry.value);
      if (!parsed.success) {
        fail(fieldErrors(parsed.error.issues).map((f) => `${f.field}: ${f.message}`).join('; '));
        continue;
      }
      const normalized = normalizeUrl(parsed.data.url);
      if (!normalized) {
        fail('url: must be an absolute http(s) URL');
        continue;
      }
      const created = await this.importOne(parsed.data.url, urlHash(normalized), parsed.data.results_summary, parsed.data.created_at);
      if (created) report.created++;
      else report.skipped++;
    }
    return report;
  }

  private async importOne(url: string, hash: string, summary: ResultsSummary, createdAt: Date | undefined): Promise<boolean> {
    return this.deps.db.transaction(async (trx) => {
      await advisoryXactLock(trx, hash);
      if (await existsByUrlHash(trx, hash)) return false;
      await insertAnalysis(trx, { url: url.trim(), url_hash: hash, results_summary: summary, created_at: createdAt ?? this.deps.clock.now() });
      return true;
    });
  }
}
