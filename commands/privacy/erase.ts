import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { InvalidInputError } from '../../src/errors.js';
import type { ErasureResult } from '../../src/services/privacy-service.js';

export default class PrivacyErase extends BaseCommand<typeof PrivacyErase> {
  static override description =
    'Erase an email address everywhere: subscriptions deleted, consent and delivery records anonymised, a salted hash kept as proof';
  static override examples = ['<%= config.bin %> privacy erase --email owner@example.com --yes'];
  static override flags = {
    email: Flags.string({ description: 'the subscriber address', required: true }),
    yes: Flags.boolean({ description: 'confirm: this cannot be undone' }),
  };

  async run(): Promise<ErasureResult> {
    if (!this.flags.yes) throw new InvalidInputError('Erasure cannot be undone: add --yes to confirm');
    const c = await this.services();
    const result = await c.privacy.erase(this.flags.email);
    this.log(
      `erased: ${result.subscriptions} subscription(s) deleted, ${result.deliveries} delivery row(s) anonymised (erasure ${result.erasure_id})`,
    );
    return result;
  }
}
