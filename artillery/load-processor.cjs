/* global module */
// Hooks for load.yml and rate.yml.
const OPPORTUNITIES = ['digital_presence', 'value_creation', 'business_management'];

/** Each progress user works on one opportunity of its analysis. */
function pickOpportunity(context, _events, done) {
  context.vars.opportunity = OPPORTUNITIES[Math.floor(Math.random() * OPPORTUNITIES.length)];
  context.vars.posted = 0;
  done();
}

/** Alternates IN_PROGRESS and NOT_STARTED, starting from the seeded NOT_STARTED. */
function nextStatus(context, _events, done) {
  context.vars.status = context.vars.posted % 2 === 0 ? 'IN_PROGRESS' : 'NOT_STARTED';
  context.vars.posted += 1;
  done();
}

/** One post, IN_PROGRESS or NOT_STARTED: a valid change or a no-op, never INVALID_TRANSITION (IMPLEMENTED is never sent). */
function randomToggle(context, _events, done) {
  context.vars.status = Math.random() < 0.5 ? 'IN_PROGRESS' : 'NOT_STARTED';
  done();
}

/** Locust's wait_time = between(1, 5). */
function waitLikeLocust(context, _events, done) {
  context.vars.wait = `${Math.round(1000 + Math.random() * 4000)}ms`;
  done();
}

/** 400s (a transition that raced another user) apart from real errors (5xx); both always reported, even at 0. */
function countOutcome(_req, res, _context, events, done) {
  events.emit('counter', 'load.invalid_400', res.statusCode === 400 ? 1 : 0);
  events.emit('counter', 'load.real_errors', res.statusCode >= 500 ? 1 : 0);
  events.emit('counter', 'load.other_4xx', res.statusCode > 400 && res.statusCode < 500 ? 1 : 0);
  done();
}

module.exports = { pickOpportunity, nextStatus, randomToggle, waitLikeLocust, countOutcome };
