import { expect } from 'chai';
import { api, startHarness, type Harness } from '../../helpers/harness.js';

describe('GET /health and /openapi.json', function () {
  let h: Harness;
  before(async () => {
    h = await startHarness('pglite');
  });
  after(() => h.close());

  it('reports the database and the cache', async () => {
    const res = await api(h.baseUrl).get('/health');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ status: 'ok' });
    expect(res.body.database).to.include({ status: 'up', kind: 'pglite' });
    expect(res.body.cache).to.include({ status: 'up', backend: 'memory' });
    const id = res.headers.get('x-request-id');
    expect(id).to.match(/^[\w-]{8}-[0-9a-z]+$/);
    expect((await api(h.baseUrl).get('/health')).headers.get('x-request-id'), 'a new id per request').to.not.equal(id);
  });

  it('serves an OpenAPI document generated from the request schemas', async () => {
    const { status, body } = await api(h.baseUrl).get('/openapi.json');
    expect(status).to.equal(200);
    expect(body.openapi).to.match(/^3\./);
    const progress = body.paths['/dashboard/{analysisId}/progress'].post;
    expect(progress.requestBody.content['application/json'].schema).to.deep.equal({
      $ref: '#/components/schemas/ProgressUpdateRequest',
    });
    const schema = body.components.schemas.ProgressUpdateRequest;
    expect(schema.required).to.include.members(['opportunity_id', 'status']);
    expect(schema.properties.status.enum).to.deep.equal(['NOT_STARTED', 'IN_PROGRESS', 'IMPLEMENTED']);
    expect(schema.properties.hourly_rate).to.include({ minimum: 20, maximum: 500 });
    expect(progress.parameters[0]).to.include({ name: 'analysisId', in: 'path', required: true });
    expect(progress.responses).to.have.keys(['200', '400', '404', '413', '415', '429', '500', '503']);
    for (const p of [
      '/analyses',
      '/analyses/{id}/results',
      '/dashboard/{analysisId}',
      '/dashboard/{analysisId}/recommendations',
      '/dashboard/{analysisId}/badges',
      '/dashboard/{analysisId}/subscribe',
      '/health',
    ]) {
      expect(body.paths, p).to.have.property(p);
    }
  });

  it('echoes a sane X-Request-Id and uses it in error bodies', async () => {
    const res = await fetch(`${h.baseUrl}/dashboard/nope`, { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).to.equal('trace-123');
    expect(((await res.json()) as { request_id: string }).request_id).to.equal('trace-123');
  });
});
