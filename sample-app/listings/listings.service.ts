import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Clock } from '../../lib';
import { APP_CLOCK } from '../clock/app-clock.module';
import { CreateListingDto } from './create-listing.dto';
import { Listing } from './listing.entity';

@Injectable()
export class ListingsService {
  constructor(
    @InjectRepository(Listing) private readonly listings: Repository<Listing>,
    @Inject(APP_CLOCK) private readonly clock: Clock,
  ) {}

  /** The user's listings, oldest first. */
  listForOwner(ownerUserId: string): Promise<Listing[]> {
    return this.listings.find({ where: { ownerUserId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async create(ownerUserId: string, input: CreateListingDto): Promise<Listing> {
    const listing = this.listings.create({
      id: randomUUID(),
      ownerUserId,
      title: input.title,
      priceCents: input.priceCents,
      createdAt: this.clock.now(),
    });
    await this.listings.insert(listing);
    return listing;
  }
}
