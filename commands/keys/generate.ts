import { BaseCommand } from '../../src/cli/base-command.js';

export type KeysGenerateResult = { kid: string; retired: string | null };

export default class KeysGenerate extends BaseCommand<typeof KeysGenerate> {
  static override description =
    'Generate a new Ed25519 key for signing badge credentials; the previous key is retired but stays published (JWKS)';
  static override examples = ['<%= config.bin %> keys generate'];

  async run(): Promise<KeysGenerateResult> {
    const c = await this.services();
    const result = await c.credentials.generateKey();
    this.log(
      `signing key ${result.kid} is current${result.retired ? `; ${result.retired} retired (still published)` : ''}`,
    );
    return result;
  }
}
