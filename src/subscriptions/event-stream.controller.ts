import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../domain';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { isPosition } from '../event-store/position';
import { CurrentActor } from '../http/auth';
import { InvalidInput, type InvalidField } from '../application/errors';
import { KNOWN_FAMILIES, KNOWN_TYPES, resolveTypes } from './event-envelope';
import { EventStreamService, type StreamSlot } from './event-stream.service';

/** Comma-separated, or the parameter repeated. */
const list = (raw: string | string[] | undefined) =>
  [raw ?? []]
    .flat()
    .join(',')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('events')
export class EventStreamController {
  constructor(
    private readonly streams: EventStreamService,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  /**
   * `id:` is the global position; a reconnecting EventSource sends it back as Last-Event-ID and
   * the stream resumes right after it. Without Last-Event-ID or `after` the stream starts at the
   * head (live only); `after=0` replays everything. types and families are united. Beyond
   * SSE_MAX_STREAMS_PER_USER (or SSE_MAX_STREAMS in total) open streams: 429 TOO_MANY_STREAMS.
   */
  @Get('stream')
  @ApiOperation({ summary: 'Server-Sent Events of the global log, filtered by types and/or families, resumable' })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'types', required: false, description: 'comma-separated event types' })
  @ApiQuery({
    name: 'family',
    required: false,
    description: 'comma-separated families (立项, 批复, 建设, 调整备案, 验收, 整改)',
  })
  @ApiQuery({ name: 'after', required: false, description: 'start after this global position (Last-Event-ID wins)' })
  @ApiHeader({ name: 'Last-Event-ID', required: false })
  async stream(
    @Query('types') typesParam: string | string[] | undefined,
    @Query('family') familyParam: string | string[] | undefined,
    @Query('after') afterParam: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // Taken before anything is read: a refused stream costs no store access.
    const slot = this.streams.reserve(actor);
    try {
      await this.open(slot, typesParam, familyParam, afterParam, lastEventId, actor, request, reply);
    } catch (error) {
      slot.release();
      throw error;
    }
  }

  private async open(
    slot: StreamSlot,
    typesParam: string | string[] | undefined,
    familyParam: string | string[] | undefined,
    afterParam: string | undefined,
    lastEventId: string | undefined,
    actor: Actor,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const problems: InvalidField[] = [];
    const types = list(typesParam);
    const families = list(familyParam);
    const unknownTypes = types.filter((t) => !KNOWN_TYPES.includes(t));
    if (unknownTypes.length)
      problems.push({ field: 'types', problems: [`unknown event types: ${unknownTypes.join(', ')}`] });
    const unknownFamilies = families.filter((f) => !KNOWN_FAMILIES.includes(f));
    if (unknownFamilies.length)
      problems.push({ field: 'family', problems: [`family must be one of ${KNOWN_FAMILIES.join(', ')}`] });
    const resume = lastEventId?.trim() || (typeof afterParam === 'string' ? afterParam.trim() : '') || undefined;
    if (resume !== undefined && !isPosition(resume)) {
      problems.push({
        field: lastEventId ? 'Last-Event-ID' : 'after',
        problems: ['must be a global position such as "42"'],
      });
    }
    if (problems.length) throw new InvalidInput(problems);
    // Well-formed is not enough: a position of another store kind ("42" on EventStoreDB, an
    // SQLite-era Last-Event-ID) or one that was never issued would make the store refuse the
    // subscription, and the EventSource reconnect with the same id forever. A 400 ends that.
    if (resume !== undefined && !(await this.eventStore.checkPosition(resume))) {
      throw new InvalidInput([
        { field: lastEventId ? 'Last-Event-ID' : 'after', problems: ['not a position of this event store'] },
      ]);
    }

    const after = resume ?? (await this.eventStore.headPosition());
    reply.hijack();
    request.raw.socket?.setNoDelay(true);
    this.streams.stream(reply.raw, actor, { after, types: resolveTypes(types, families) }, slot);
  }
}
