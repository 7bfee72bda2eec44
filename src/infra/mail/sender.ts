import { ConfigError } from '../../config.js';
import { senderName } from '../../domain/consent.js';
import type { SignedLinks } from './signed-links.js';

const EMBEDDED_POSTAL_ADDRESS = 'Adresse postale à configurer (MAIL_POSTAL_ADDRESS)';

/**
 * Who the emails come from, as every message must say (CASL): the sender's name and postal
 * address. `ensureReady` is the one check that emails may be sent at all.
 */
export class Sender {
  readonly name: string;
  readonly postalAddress: string;

  constructor(
    private readonly opts: {
      mailFrom: string;
      postalAddress: string | null;
      embedded: boolean;
      links: SignedLinks;
    },
  ) {
    this.name = senderName(opts.mailFrom);
    this.postalAddress = opts.postalAddress ?? EMBEDDED_POSTAL_ADDRESS;
  }

  /**
   * Fails fast (ConfigError) when emails cannot be sent lawfully: links need their signing secret,
   * and in production mode every email needs MAIL_POSTAL_ADDRESS.
   */
  ensureReady(): void {
    this.opts.links.ensureReady();
    if (this.opts.postalAddress === null && !this.opts.embedded) {
      throw new ConfigError(
        "MAIL_POSTAL_ADDRESS is not set. Every email must carry the sender's postal address (CASL): set it when DATABASE_URL is set.",
      );
    }
  }
}
