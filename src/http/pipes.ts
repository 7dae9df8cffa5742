import { ParseIntPipe, ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { InvalidInput } from '../application/errors';

/** `:id` of a project route: a UUID, or a 400 naming the field. */
export const ProjectId = new ParseUUIDPipe({
  exceptionFactory: () => new InvalidInput([{ field: 'id', problems: ['id must be a UUID'] }]),
});

const YEAR_PROBLEM = 'year must be an integer 2000–2100';

/** `:year` of an annual-plan route. */
export const PlanYear = new ParseIntPipe({
  exceptionFactory: () => new InvalidInput([{ field: 'year', problems: [YEAR_PROBLEM] }]),
});

export function checkYear(year: number): number {
  if (year < 2000 || year > 2100) throw new InvalidInput([{ field: 'year', problems: [YEAR_PROBLEM] }]);
  return year;
}

/** `:code` of a department route: a department code of 1–64 visible characters (as registered). */
export const DepartmentCode: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!/^[^\s/]{1,64}$/u.test(value))
      throw new InvalidInput([{ field: 'code', problems: ['code must be a department code of 1–64 characters'] }]);
    return value;
  },
};
