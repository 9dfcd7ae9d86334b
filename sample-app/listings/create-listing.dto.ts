import { IsInt, IsString, Length, Min } from 'class-validator';

/** The body of `POST /api/v1/listings`. */
export class CreateListingDto {
  @IsString()
  @Length(1, 200)
  title: string;

  @IsInt()
  @Min(0)
  priceCents: number;
}
