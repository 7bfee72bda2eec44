import type { Metric, Registry } from 'prom-client';

type Labels = { method: string; route: string; status: string };
type Value = { metricName: string; labels: Partial<Labels> & { le?: number | '+Inf' }; value: number };

/** One label set's figures: observations per bucket (the last one past every bound), their sum and count. */
class Series {
  readonly perBucket: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: readonly number[],
  ) {
    this.perBucket = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    let i = 0;
    while (i < this.bounds.length && seconds > this.bounds[i]!) i++;
    this.perBucket[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

/**
 * The request-duration histogram (method, route template, status), scraped through prom-client's
 * registry as its own Histogram would be, line for line. It exists for the hot path: prom-client's
 * `observe` checks and hashes the label set on every call (about a microsecond and a half a
 * request, measured under load), where this looks a series up once by its three labels and adds
 * to plain numbers.
 */
export class RequestHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
    registry: Registry,
  ) {
    // The registry takes any metric with a name and `get()`; its type names prom-client's own classes only.
    registry.registerMetric(this as unknown as Metric);
  }

  observe(labels: Labels, seconds: number): void {
    const key = `${labels.method} ${labels.status} ${labels.route}`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = new Series({ ...labels }, this.bounds)));
    s.observe(seconds);
  }

  /** The figures as prom-client's Histogram gives them: cumulative buckets, then `+Inf`, sum and count, per series. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; aggregator: 'sum'; values: Value[] }> {
    const values: Value[] = [];
    for (const { labels, perBucket, sum, count } of this.series.values()) {
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += perBucket[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...labels }, value: acc });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...labels }, value: count });
      values.push({ metricName: `${this.name}_sum`, labels, value: sum });
      values.push({ metricName: `${this.name}_count`, labels, value: count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}
