import { expect } from 'chai';
import { SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { useHarness } from '../../helpers/harness.js';

describe('a time zone per analysis [postgres]', function () {
  const t = useHarness('postgres');

  it('defaults to REPORT_TIME_ZONE (America/Toronto) and shows it in the dashboard', async () => {
    const { analysis_id } = (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS }))
      .body;
    expect((await t.client.get(`/dashboard/${analysis_id}`)).body.time_zone).to.equal('America/Toronto');
  });

  it('is set at intake and by a subscribe, aliases stored under their canonical name', async () => {
    const created = await t.client.post('/analyses', {
      url: uniqueUrl(),
      results_summary: SPEC_RESULTS,
      time_zone: 'Europe/Paris',
    });
    expect(created.status).to.equal(201);
    const id = created.body.analysis_id;
    expect((await t.client.get(`/dashboard/${id}`)).body.time_zone).to.equal('Europe/Paris');
    const sub = await t.client.post(`/dashboard/${id}/subscribe`, {
      email: 'owner@example.com',
      frequency: 'weekly',
      time_zone: 'America/Montreal',
    });
    expect(sub.status).to.equal(201);
    expect((await t.client.get(`/dashboard/${id}`)).body.time_zone, 'the dashboard cache was invalidated').to.equal(
      'America/Toronto',
    );
    expect((await t.client.get(`/analyses/${id}`)).body.time_zone).to.equal('America/Toronto');
  });

  it('answers 400 INVALID_INPUT naming the field for a zone that is not in the IANA list', async () => {
    for (const bad of ['Mars/Olympus', '+05:00', 'EST5EDT; DROP TABLE', 42]) {
      const res = await t.client.post('/analyses', { url: uniqueUrl(), time_zone: bad });
      expect(res.status, String(bad)).to.equal(400);
      expect(res.body.error).to.equal('INVALID_INPUT');
      expect(res.body.fields.map((f: { field: string }) => f.field)).to.deep.equal(['body.time_zone']);
    }
    const { analysis_id } = (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: SPEC_RESULTS }))
      .body;
    const res = await t.client.post(`/dashboard/${analysis_id}/subscribe`, {
      email: 'owner@example.com',
      frequency: 'weekly',
      time_zone: 'Nowhere/Town',
    });
    expect(res.status).to.equal(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).to.deep.equal(['body.time_zone']);
  });
});
