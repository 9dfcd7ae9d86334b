import { Injectable } from '@nestjs/common';
import { GeneratedSigningKey, SigningKeyStore } from '../signing-key.store';
import { Clock } from '../../clock';
import { SigningKey } from '../../entities/signing-key.entity';
import { InjectClock } from '../../options/inject-clock.decorator';
import { withDatabaseLock } from './database-lock';
import { TypeOrmUnitOfWork } from './unit-of-work';

const SERVER_SECRET_KID = 'server-secret';
const ISSUER_KID = 'issuer';

/** Key material the module generated, shared by every instance through the host database. */
@Injectable()
export class TypeOrmSigningKeyStore implements SigningKeyStore {
  constructor(
    private readonly units: TypeOrmUnitOfWork,
    @InjectClock() private readonly clock: Clock,
  ) {}

  private get keys() {
    return this.units.repository(SigningKey);
  }

  /** JWT signing keys, oldest first: the oldest signs, so every instance agrees on one. */
  listSigningKeys(): Promise<SigningKey[]> {
    return this.keys.find({ where: { use: 'sig' }, order: { createdAt: 'ASC', kid: 'ASC' } });
  }

  /**
   * The signing keys; when there are none, stores the one `generate` makes. Instances starting
   * together take turns under a database lock and look again after waiting, so exactly one is stored.
   */
  async signingKeysOrFirst(generate: () => Promise<GeneratedSigningKey>): Promise<SigningKey[]> {
    const stored = await this.listSigningKeys();
    if (stored.length > 0) return stored;
    return withDatabaseLock(this.keys.manager.connection, 'signing-keys', async () => {
      const storedMeanwhile = await this.listSigningKeys();
      if (storedMeanwhile.length > 0) return storedMeanwhile;
      const { kid, alg, privateJwk } = await generate();
      await this.units.write(() =>
        this.keys.insert({ kid, use: 'sig', alg, material: JSON.stringify(privateJwk), createdAt: this.clock.now() }),
      );
      return this.listSigningKeys();
    });
  }

  /** The stored server secret; the first instance to start stores `candidate`, the rest read it. */
  serverSecret(candidate: string): Promise<string> {
    return this.storedOnce({ kid: SERVER_SECRET_KID, use: 'hmac', alg: 'HS256' }, candidate);
  }

  /** The issuer this database serves; the first instance to start records `candidate`, the rest read it. */
  recordedIssuer(candidate: string): Promise<string> {
    // Not key material, so no algorithm; the column requires a value.
    return this.storedOnce({ kid: ISSUER_KID, use: 'issuer', alg: '' }, candidate);
  }

  /**
   * The value stored under `kid`, storing `candidate` if there is none. Insert-or-ignore, then
   * read: instances starting together all read the one value that won, with no lock needed.
   */
  private async storedOnce(row: Pick<SigningKey, 'kid' | 'use' | 'alg'>, candidate: string): Promise<string> {
    await this.units.write(() =>
      this.keys
        .createQueryBuilder()
        .insert()
        .values({ ...row, material: JSON.stringify(candidate), createdAt: this.clock.now() })
        .orIgnore()
        .execute(),
    );
    const stored = await this.keys.findOneByOrFail({ kid: row.kid });
    return JSON.parse(stored.material) as string;
  }
}
