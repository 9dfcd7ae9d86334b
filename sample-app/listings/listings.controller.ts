import { Body, Controller, Get, HttpCode, HttpStatus, Post, UseGuards, UsePipes, ValidationPipe } from '@nestjs/common';
import { BearerTokenGuard, DeviceAuthPrincipal, Scopes, UserPrincipal } from '../../lib';
import { CreateListingDto } from './create-listing.dto';
import { Listing } from './listing.entity';
import { ListingsService } from './listings.service';

/** The signed-in user's listings, for CLIs and scripts holding a bearer token. */
@Controller('api/v1/listings')
@UseGuards(BearerTokenGuard)
// Scoped to this controller rather than global, so it never touches the device-auth endpoints.
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class ListingsController {
  constructor(private readonly listings: ListingsService) {}

  @Get()
  @Scopes('listings:read')
  list(@DeviceAuthPrincipal() who: UserPrincipal): Promise<Listing[]> {
    return this.listings.listForOwner(who.userId);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Scopes('listings:write')
  create(@DeviceAuthPrincipal() who: UserPrincipal, @Body() input: CreateListingDto): Promise<Listing> {
    return this.listings.create(who.userId, input);
  }
}
