import { ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PROJECT_STATUSES, UNDATED_OBLIGATION_KINDS } from '../domain';
import { SORTABLE } from './project.queries';
import { CATEGORIES } from './project-commands.dto';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

export class ListProjectsQuery {
  @ApiPropertyOptional({ description: 'comma-separated statuses', example: 'APPROVED,UNDER_CONSTRUCTION' })
  @IsOptional()
  @Transform(toList)
  @IsIn(PROJECT_STATUSES, { each: true })
  status?: string[];

  @ApiPropertyOptional({ description: 'comma-separated categories' })
  @IsOptional()
  @Transform(toList)
  @IsIn(CATEGORIES as unknown as string[], { each: true })
  category?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  department?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(2000)
  @Max(2100)
  planYear?: number;

  @ApiPropertyOptional({ description: 'search in project names (Chinese works)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ default: 20, maximum: 200 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;

  @ApiPropertyOptional({ description: `one of ${SORTABLE.join(', ')}; prefix - for descending`, default: '-updatedAt' })
  @IsOptional()
  @IsIn(SORTABLE.flatMap((f) => [f, `-${f}`]))
  sort?: string;
}

/** The Excel export takes the list's filters and order; it holds every page. */
export class ExportProjectsQuery extends OmitType(ListProjectsQuery, ['page', 'pageSize'] as const) {}

export class GetProjectQuery {
  @ApiPropertyOptional({ description: 'wait (up to `wait` ms) until the read model has at least this revision' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  minRevision?: number;

  @ApiPropertyOptional({ description: 'milliseconds to wait for minRevision (max 10000)', default: 5000 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000)
  wait?: number;
}

export class RectificationsQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200, description: 'projects per page (each may carry several orders)' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;

  @ApiPropertyOptional({ enum: ['open', 'overdue', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'overdue', 'closed'])
  status?: 'open' | 'overdue' | 'closed';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  department?: string;
}

const DEADLINE_KINDS = ['ACCEPTANCE', 'PERFORMANCE_REPORT', 'RECTIFICATION', ...UNDATED_OBLIGATION_KINDS] as const;

export class DeadlinesQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({
    default: 50,
    maximum: 200,
    description: 'projects per page (each may have several deadlines)',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;

  @ApiPropertyOptional({
    enum: DEADLINE_KINDS,
    description:
      'a dated kind, or an obligation without a due date (第十九条 SURPLUS_RETURN, 第二十三条 ASSET_REGISTRATION, ' +
      '第十八条 INCIDENT_DECISION: listed with dueOn null); without kind, the dated ones',
  })
  @IsOptional()
  @IsIn(DEADLINE_KINDS)
  kind?: (typeof DEADLINE_KINDS)[number];

  @ApiPropertyOptional({ description: 'only deadlines due within this many days (missed ones included)' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3660)
  withinDays?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  department?: string;
}

/** The Excel export of deadlines takes the list's filters; it holds every page. */
export class ExportDeadlinesQuery extends OmitType(DeadlinesQuery, ['page', 'pageSize'] as const) {}

export class DepartmentQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  department?: string;
}

/** A page of a list: `page` from 1, `pageSize` up to 200 (default 50). */
export class PageQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}

export class OmEligibilityQuery extends IntersectionType(DepartmentQuery, PageQuery) {}

/** GET /inbox/done: the caller's own records, newest first. */
export class DoneQuery extends PageQuery {}
