import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DECOY_PASSWORD_HASH, hashPassword, verifyPassword } from './password-hash';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }

  /** The user with these credentials, or null; as slow for an unknown username as for a wrong password. */
  async verifyCredentials(username: string, password: string): Promise<User | null> {
    // No username holds a control character, and PostgreSQL refuses a NUL with an error: not looked up.
    const user = /\p{Cc}/u.test(username) ? null : await this.findByUsername(username);
    const matches = await verifyPassword(password, user?.passwordHash ?? DECOY_PASSWORD_HASH);
    return user !== null && matches ? user : null;
  }

  /** Creates the user unless the username exists; returns the stored user either way. */
  async ensureUser(input: { username: string; displayName: string; password: string }): Promise<User> {
    const existing = await this.findByUsername(input.username);
    if (existing !== null) return existing;
    const user = this.users.create({
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
    });
    try {
      await this.users.insert(user);
      return user;
    } catch (error) {
      // Another instance seeding the same database at the same moment won the unique index.
      const winner = await this.findByUsername(input.username);
      if (winner !== null) return winner;
      throw error;
    }
  }
}
