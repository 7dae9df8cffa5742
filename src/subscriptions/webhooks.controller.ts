import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';
import type { Actor } from '../domain';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { isPosition } from '../event-store/position';
import { CurrentActor, Roles } from '../http/auth';
import { InvalidInput } from '../application/errors';
import { KNOWN_FAMILIES, KNOWN_TYPES } from './event-envelope';
import { WebhooksService } from './webhooks.service';

export class CreateWebhookDto {
  @ApiProperty({
    description: 'http(s) URL; private and loopback targets are refused unless listed in WEBHOOK_ALLOWED_HOSTS',
    example: 'https://finance.example/hooks/ordos',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'event types; with families, the union is delivered; neither = every event',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsIn(KNOWN_TYPES as string[], { each: true })
  types?: string[];

  @ApiPropertyOptional({ type: [String], enum: KNOWN_FAMILIES, example: ['批复'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsIn(KNOWN_FAMILIES as string[], { each: true })
  families?: string[];

  @ApiProperty({
    description: 'HMAC key for X-Signature (16–256 characters); stored encrypted, never returned',
    minLength: 16,
  })
  @IsString()
  @MinLength(16)
  @MaxLength(256)
  secret: string;
}

export class RedeliverDto {
  @ApiPropertyOptional({
    description:
      'replay every matching event after this global position (exclusive); without it, dead letters are re-queued',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isPosition',
    validator: {
      validate: (v) => typeof v === 'string' && isPosition(v),
      defaultMessage: () => 'fromPosition must be a global position such as "42" or "1234/1234"',
    },
  })
  fromPosition?: string;
}

const SubscriptionId = new ParseUUIDPipe({
  exceptionFactory: () => new InvalidInput([{ field: 'id', problems: ['id must be a UUID'] }]),
});

/** Webhooks for downstream systems (finance, the city's catalogue): OFFICE administers them. */
@ApiTags('subscriptions')
@ApiBearerAuth()
@Roles('OFFICE')
@Controller('subscriptions')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Subscribe a URL to events (signed deliveries, at-least-once, in order)' })
  create(@Body() body: CreateWebhookDto, @CurrentActor() actor: Actor) {
    return this.webhooks.create(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook subscriptions' })
  async list() {
    return { items: await this.webhooks.list() };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A subscription with its delivery status: checkpoint, failures, dead letters' })
  status(@Param('id', SubscriptionId) id: string) {
    return this.webhooks.status(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a subscription, its checkpoint and dead letters' })
  async remove(@Param('id', SubscriptionId) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-queue dead letters, or replay from a position ({fromPosition})' })
  async redeliver(@Param('id', SubscriptionId) id: string, @Body() body: RedeliverDto) {
    const from = body?.fromPosition;
    // A position the store never issued would make the worker's subscription fail and restart
    // from it forever: refuse it here.
    if (from !== undefined && !(await this.eventStore.checkPosition(from))) {
      throw new InvalidInput([
        { field: 'fromPosition', problems: ['fromPosition is not a position of this event store'] },
      ]);
    }
    return this.webhooks.redeliver(id, from);
  }
}
