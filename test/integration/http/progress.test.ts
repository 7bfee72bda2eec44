import { expect } from 'chai';
import { DB_MODES, useHarness } from '../../helpers/harness.js';
import { resultsWithHours, SPEC_RESULTS, uniqueUrl } from '../../helpers/fixtures.js';
import { DAY, MINUTE } from '../../helpers/clock.js';

for (const mode of DB_MODES) {
  describe(`POST /dashboard/:id/progress [${mode}]`, function () {
    const t = useHarness(mode);

    const create = async (results = SPEC_RESULTS) =>
      (await t.client.post('/analyses', { url: uniqueUrl(), results_summary: results })).body.analysis_id as string;
    const progress = (id: string, opportunity_id: string, status: string, extra: object = {}) =>
      t.client.post(`/dashboard/${id}/progress`, { opportunity_id, status, ...extra });
    const count = async (table: string, id: string) =>
      Number((await t.h.container.db(table).where({ analysis_id: id }).count('* as n').first())?.n);

    it('returns the new status, implemented_at, new badges and metrics', async () => {
      const id = await create();
      const res = await progress(id, 'digital_presence', 'IMPLEMENTED', { hourly_rate: 50 });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({
        analysis_id: id,
        opportunity_id: 'digital_presence',
        status: 'IMPLEMENTED',
        implemented_at: t.h.clock.now().toISOString(),
      });
      expect(res.body.new_badges.map((b: { badge_type: string }) => b.badge_type).sort()).to.deep.equal([
        'first_step',
        'quick_win',
      ]);
      expect(res.body.metrics.money_saved.implemented_annual).to.equal(13000);
    });

    it('treats the same status again as a no-op: no event, no badge', async () => {
      const id = await create();
      await progress(id, 'value_creation', 'IN_PROGRESS');
      const events = await count('progress_events', id);
      const again = await progress(id, 'value_creation', 'IN_PROGRESS');
      expect(again.status).to.equal(200);
      expect(again.body.new_badges).to.deep.equal([]);
      expect(await count('progress_events', id)).to.equal(events);
      expect(await count('user_badges', id)).to.equal(1);
    });

    it('allows IN_PROGRESS back to NOT_STARTED and records each real change', async () => {
      const id = await create();
      await progress(id, 'value_creation', 'IN_PROGRESS');
      expect((await progress(id, 'value_creation', 'NOT_STARTED')).status).to.equal(200);
      expect(await count('progress_events', id)).to.equal(2);
      const dash = await t.client.get(`/dashboard/${id}`);
      expect(
        dash.body.opportunities.find((o: { opportunity_id: string }) => o.opportunity_id === 'value_creation').status,
      ).to.equal('NOT_STARTED');
      expect(dash.body.badges.map((b: { badge_type: string }) => b.badge_type)).to.deep.equal(['first_step']); // never taken back
    });

    it('refuses to leave IMPLEMENTED with INVALID_TRANSITION and changes nothing', async () => {
      const id = await create();
      await progress(id, 'digital_presence', 'IMPLEMENTED');
      for (const to of ['IN_PROGRESS', 'NOT_STARTED']) {
        const res = await progress(id, 'digital_presence', to);
        expect(res.status).to.equal(400);
        expect(res.body).to.include({
          error: 'INVALID_TRANSITION',
          detail: `Cannot transition from IMPLEMENTED to ${to}`,
        });
      }
      const row = await t.h.container
        .db('user_progress')
        .where({ analysis_id: id, opportunity_id: 'digital_presence' })
        .first();
      expect(row.status).to.equal('IMPLEMENTED');
      expect(await count('progress_events', id)).to.equal(1);
    });

    it('stores the latest hourly rate on the analysis', async () => {
      const id = await create();
      await progress(id, 'digital_presence', 'IN_PROGRESS', { hourly_rate: 50 });
      await progress(id, 'digital_presence', 'IN_PROGRESS', { hourly_rate: 75 });
      expect((await t.client.get(`/dashboard/${id}`)).body.metrics.money_saved.hourly_rate).to.equal(75);
    });

    it('awards quick_win at 7 days minus one minute', async () => {
      const id = await create();
      t.h.clock.advance(7 * DAY - MINUTE);
      const res = await progress(id, 'business_management', 'IMPLEMENTED');
      expect(res.body.new_badges.map((b: { badge_type: string }) => b.badge_type)).to.include('quick_win');
    });

    it('does not award quick_win at 7 days plus one minute', async () => {
      const id = await create();
      t.h.clock.advance(7 * DAY + MINUTE);
      const res = await progress(id, 'business_management', 'IMPLEMENTED');
      expect(res.body.new_badges.map((b: { badge_type: string }) => b.badge_type)).to.deep.equal(['first_step']);
    });

    it('awards time_saver at 10 h/week implemented, not at 9.5', async () => {
      const id = await create(resultsWithHours({ digital_presence: 9.5, value_creation: 0.5 }));
      const first = await progress(id, 'digital_presence', 'IMPLEMENTED');
      expect(first.body.new_badges.map((b: { badge_type: string }) => b.badge_type)).to.not.include('time_saver');
      const second = await progress(id, 'value_creation', 'IMPLEMENTED');
      expect(second.body.new_badges.map((b: { badge_type: string }) => b.badge_type)).to.deep.equal([
        'time_saver',
        'efficiency_expert',
      ]);
    });

    it('awards streak_master after activity on 7 consecutive UTC days, not 6', async () => {
      const id = await create();
      const statuses = ['IN_PROGRESS', 'NOT_STARTED'];
      let awardedOn = -1;
      for (let day = 0; day < 7; day++) {
        const res = await progress(id, 'value_creation', statuses[day % 2]!);
        if (res.body.new_badges.some((b: { badge_type: string }) => b.badge_type === 'streak_master'))
          awardedOn = day + 1;
        t.h.clock.advance(DAY);
      }
      expect(awardedOn).to.equal(7);
    });

    it('does not award streak_master for 7 active days with a gap', async () => {
      const id = await create();
      let next = 'IN_PROGRESS';
      for (let day = 0; day < 8; day++) {
        if (day !== 3) {
          expect((await progress(id, 'value_creation', next)).status).to.equal(200);
          next = next === 'IN_PROGRESS' ? 'NOT_STARTED' : 'IN_PROGRESS';
        }
        t.h.clock.advance(DAY);
      }
      expect(await count('progress_events', id)).to.equal(7);
      expect(
        (await t.h.container.db('user_badges').where({ analysis_id: id, badge_type: 'streak_master' })).length,
      ).to.equal(0);
    });

    it('handles 20 simultaneous updates with no 5xx and awards each badge once', async () => {
      const id = await create(resultsWithHours({ digital_presence: 6, value_creation: 5, business_management: 2 }));
      const OPPS = ['digital_presence', 'value_creation', 'business_management'];
      const requests = Array.from({ length: 20 }, (_, i) => ({
        opp: OPPS[i % 3]!,
        to: i % 2 ? 'IMPLEMENTED' : 'IN_PROGRESS',
      }));
      const results = await Promise.all(requests.map((r) => progress(id, r.opp, r.to)));
      for (const r of results) expect(r.status, JSON.stringify(r.body)).to.be.oneOf([200, 400]);
      const awarded = results.flatMap((r) =>
        r.status === 200 ? r.body.new_badges.map((b: { badge_type: string }) => b.badge_type) : [],
      );
      const rows = await t.h.container.db('user_badges').where({ analysis_id: id }).select('badge_type');
      expect(awarded.slice().sort()).to.deep.equal(rows.map((r: { badge_type: string }) => r.badge_type).sort());
      expect(new Set(awarded).size).to.equal(awarded.length);
      expect(awarded).to.include('first_step');
      // Updates of one analysis run one after another. IMPLEMENTED is final, so per opportunity an
      // IN_PROGRESS answered 200 came before the first IMPLEMENTED (one change), any later one is a
      // 400, and a repeated status is a 200 with no change. Exactly one event per real change:
      const succeeded = (opp: string, to: string) =>
        requests.some((r, i) => r.opp === opp && r.to === to && results[i]!.status === 200);
      const chains = Object.fromEntries(
        OPPS.map((opp) => [
          opp,
          succeeded(opp, 'IN_PROGRESS')
            ? ['NOT_STARTED>IN_PROGRESS', 'IN_PROGRESS>IMPLEMENTED']
            : ['NOT_STARTED>IMPLEMENTED'],
        ]),
      );
      expect(OPPS.every((opp) => succeeded(opp, 'IMPLEMENTED'))).to.equal(true);
      const events: { opportunity_id: string; from_status: string; to_status: string }[] = await t.h.container
        .db('progress_events')
        .where({ analysis_id: id })
        .orderBy('id')
        .select('opportunity_id', 'from_status', 'to_status');
      const logged = Object.fromEntries(
        OPPS.map((opp) => [
          opp,
          events.filter((e) => e.opportunity_id === opp).map((e) => `${e.from_status}>${e.to_status}`),
        ]),
      );
      expect(logged).to.deep.equal(chains);
      expect(events).to.have.length(Object.values(chains).flat().length);
    });
  });
}
