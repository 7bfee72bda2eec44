import { expect } from 'chai';
import { Writable } from 'node:stream';
import { createLogger, logFormatFor } from '../../src/logger.js';

function sink(isTTY: boolean): Writable & { isTTY: boolean; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}

describe('logger', () => {
  it('LOG_FORMAT=auto: human lines for a terminal, JSON for anything else; pretty and json override it', () => {
    expect(logFormatFor('auto', sink(true))).to.equal('pretty');
    expect(logFormatFor('auto', sink(false))).to.equal('json');
    expect(logFormatFor('json', sink(true))).to.equal('json');
    expect(logFormatFor('pretty', sink(false))).to.equal('pretty');
  });

  it('pretty: one short line a record, its fields on the same line, addresses redacted', () => {
    const out = sink(false);
    const logger = createLogger('info', out, 'pretty');
    logger.warn({ subscriptionId: 's-1', email: 'owner@example.com' }, 'bounce from owner@example.com');
    logger.debug('not at this level');
    const lines = out.text().trimEnd().split('\n');
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      /^\[\d\d:\d\d:\d\d\] WARN: bounce from o\*\*\*@example\.com \{"subscriptionId":"s-1","email":"o\*\*\*@example\.com"\}$/,
    );
    expect(out.text()).to.not.include('owner@');
  });

  it('json: one JSON object a line', () => {
    const out = sink(true);
    createLogger('info', out, 'json').info({ n: 1 }, 'hello');
    expect(JSON.parse(out.text())).to.include({ level: 30, n: 1, msg: 'hello' });
  });
});
