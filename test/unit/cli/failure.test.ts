import { expect } from 'chai';
import { Errors } from '@oclif/core';
import { describeFailure, EXIT } from '../../../src/cli/failure.js';
import { ConfigError } from '../../../src/config.js';
import { InvalidInputError, NotFoundError, ServiceUnavailableError } from '../../../src/errors.js';

describe('cli/failure', () => {
  it('maps the AppError hierarchy to its code and the documented exit codes', () => {
    expect(describeFailure(new InvalidInputError('id must be a UUID'))).to.deep.equal({
      error: 'INVALID_INPUT',
      detail: 'id must be a UUID',
      exit: 2,
    });
    expect(describeFailure(new NotFoundError('gone'))).to.include({ error: 'NOT_FOUND', exit: 2 });
    expect(describeFailure(new ServiceUnavailableError('down'))).to.include({ error: 'SERVICE_UNAVAILABLE', exit: 1 });
    expect(describeFailure(new ConfigError('bad'))).to.include({ error: 'INVALID_CONFIG', exit: 2 });
  });
  it("turns oclif's parse errors into one INVALID_INPUT line with exit 2", () => {
    const err = new Errors.CLIError('Missing 1 required arg:\nid  analysis id\nSee more help with --help', { exit: 2 });
    expect(describeFailure(err)).to.deep.equal({
      error: 'INVALID_INPUT',
      detail: 'Missing 1 required arg: id  analysis id',
      exit: 2,
    });
  });
  it('keeps SQL out of a database error and names a bad path', () => {
    const pgError = Object.assign(
      new Error('select "id" from "analyses" where "id" = $1 - invalid input syntax for type uuid: "x"'),
      { severity: 'ERROR', code: '22P02' },
    );
    expect(describeFailure(pgError)).to.deep.equal({
      error: 'INTERNAL_ERROR',
      detail: 'database error 22P02: invalid input syntax for type uuid: "x"',
      exit: 1,
    });
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/no/dir/x.html' });
    expect(describeFailure(enoent)).to.deep.equal({
      error: 'INVALID_INPUT',
      detail: 'cannot use /no/dir/x.html: ENOENT',
      exit: 2,
    });
  });
  it('has three exit codes only: 0 ok, 1 failure, 2 usage', () => {
    expect(EXIT).to.deep.equal({ ok: 0, failure: 1, usage: 2 });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(describeFailure(refused)).to.deep.equal({
      error: 'SERVICE_UNAVAILABLE',
      detail: 'connect ECONNREFUSED 127.0.0.1:1',
      exit: 1,
    });
  });
  it('names a port already in use as a configuration to fix', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8000'), {
      code: 'EADDRINUSE',
      syscall: 'listen',
      address: '127.0.0.1',
      port: 8000,
    });
    expect(describeFailure(inUse)).to.deep.equal({
      error: 'INVALID_CONFIG',
      detail: 'cannot listen on 127.0.0.1:8000: the address is in use (set PORT or HOST)',
      exit: 2,
    });
  });
  it('stays silent for a deliberate exit', () => {
    expect(describeFailure(Object.assign(new Error('EEXIT: 1'), { code: 'EEXIT', oclif: { exit: 1 } }))).to.include({
      exit: 1,
      silent: true,
    });
  });
});
