import { expect } from 'chai';
import { Histogram, Registry } from 'prom-client';
import { RequestHistogram } from '../../../src/infra/request-histogram.js';

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

describe('RequestHistogram', () => {
  // Values on, between and past the bounds; labels that need escaping in the text format.
  const samples: [{ method: string; route: string; status: string }, number][] = [
    [{ method: 'GET', route: '/api/v1/dashboard/:analysisId', status: '200' }, 0.005],
    [{ method: 'GET', route: '/api/v1/dashboard/:analysisId', status: '200' }, 0.0051],
    [{ method: 'GET', route: '/api/v1/dashboard/:analysisId', status: '304' }, 0],
    [{ method: 'POST', route: '/api/v1/analyses', status: '201' }, 5],
    [{ method: 'POST', route: '/api/v1/analyses', status: '201' }, 7.5],
    [{ method: 'GET', route: '/api/v1/dashboard/:analysisId', status: '200' }, 0.3],
    [{ method: 'GET', route: 'a "quoted"\\route\n', status: '404' }, 1],
  ];

  it('scrapes line for line as prom-client’s own Histogram does for the same observations', async () => {
    const theirs = new Registry();
    const reference = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: BOUNDS,
      registers: [theirs],
    });
    const ours = new Registry();
    const histogram = new RequestHistogram(
      'http_request_duration_seconds',
      'HTTP request duration by method, route template and status',
      BOUNDS,
      ours,
    );
    for (const [labels, seconds] of samples) {
      reference.observe(labels, seconds);
      histogram.observe(labels, seconds);
    }
    const text = await ours.metrics();
    expect(text).to.equal(await theirs.metrics());
    expect(text).to.include(
      'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/dashboard/:analysisId",status="200"} 1',
    );
  });

  it('keeps each label set apart, counts each observation once, and starts again after reset', async () => {
    const registry = new Registry();
    const histogram = new RequestHistogram('h', 'h', BOUNDS, registry);
    for (const [labels, seconds] of samples) histogram.observe(labels, seconds);
    const counts = (await histogram.get()).values.filter((v) => v.metricName === 'h_count');
    expect(counts.map((v) => [v.labels.status, v.value])).to.deep.equal([
      ['200', 3],
      ['304', 1],
      ['201', 2],
      ['404', 1],
    ]);
    histogram.reset();
    expect((await histogram.get()).values).to.deep.equal([]);
  });
});
