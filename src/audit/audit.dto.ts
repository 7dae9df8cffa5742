import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { FAMILIES } from '../domain';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);
const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value);

export class StateQuery {
  @ApiPropertyOptional({ description: 'an instant, e.g. 2026-05-01T00:00:00+08:00' })
  @IsOptional() @IsISO8601({ strict: true })
  asOf?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  revision?: number;
}

export class AuditEventsQuery {
  @ApiPropertyOptional({ description: 'occurredAt ≥ from' }) @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'occurredAt < to' }) @IsOptional() @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'comma-separated event types' })
  @IsOptional() @Transform(toList) @IsString({ each: true }) @Matches(/^[A-Za-z]{1,80}$/, { each: true })
  type?: string[];

  @ApiPropertyOptional({ enum: FAMILIES }) @IsOptional() @IsIn(FAMILIES as unknown as string[])
  family?: string;

  @ApiPropertyOptional({ description: 'actor sub' }) @IsOptional() @IsString() @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  department?: string;

  @ApiPropertyOptional({ description: 'global position to continue after (nextAfter of the previous page)' })
  @IsOptional() @Matches(/^\d{1,20}(\/\d{1,20})?$/)
  after?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

export class ExportQuery extends AuditEventsQuery {
  @ApiPropertyOptional({ enum: ['jsonl', 'csv'], default: 'jsonl' }) @IsOptional() @IsIn(['jsonl', 'csv'])
  format?: 'jsonl' | 'csv';
}

export class VerifyQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID()
  projectId?: string;
}
