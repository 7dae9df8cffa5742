import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { FAMILIES } from '../domain';
import { Instant } from '../http/fields';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

export class StateQuery {
  @Instant({ optional: true, description: 'the state as it was at this instant' })
  asOf?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  revision?: number;
}

export class AuditEventsQuery {
  @Instant({ optional: true, description: 'occurredAt ≥ from', example: '2026-01-01T00:00:00+08:00' })
  from?: string;

  @Instant({ optional: true, description: 'occurredAt < to', example: '2026-04-01' })
  to?: string;

  @ApiPropertyOptional({ description: 'comma-separated event types' })
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^[A-Za-z]{1,80}$/, { each: true })
  type?: string[];

  @ApiPropertyOptional({ enum: FAMILIES })
  @IsOptional()
  @IsIn(FAMILIES as unknown as string[])
  family?: string;

  @ApiPropertyOptional({ description: 'actor sub' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  department?: string;

  @ApiPropertyOptional({ description: 'global position to continue after (nextAfter of the previous page)' })
  @IsOptional()
  @Matches(/^\d{1,20}(\/\d{1,20})?$/)
  after?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class ExportQuery extends AuditEventsQuery {
  @ApiPropertyOptional({
    enum: ['jsonl', 'csv', 'xlsx'],
    default: 'jsonl',
    description: 'xlsx: an Excel workbook (Chinese headers and labels, Beijing time), streamed',
  })
  @IsOptional()
  @IsIn(['jsonl', 'csv', 'xlsx'])
  format?: 'jsonl' | 'csv' | 'xlsx';
}

export class VerifyQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  projectId?: string;
}
